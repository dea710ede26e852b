using Microsoft.EntityFrameworkCore;
using ScimBridge.Model.Audit;
using ScimBridge.Model.Persistence;
using ScimBridge.Model.Teams;

namespace ScimBridge.Model.Provisioning;

/// <summary>
/// The write path for teams: create, rename, change settings, soft delete and reactivate, each audited with the
/// settings before and after. Members are <see cref="TeamMembershipProvisioning"/>'s (by hand) and the mapping
/// engine's. Stages changes; the caller saves, inside <see cref="RetryOnConflictAsync"/>.
/// </summary>
public sealed class TeamProvisioning(ScimBridgeDbContext db, AuditLog audit, TimeProvider clock, NumberProvisioning numbers)
{
    public const string TargetType = "team";

    /// <summary>A new active team with <paramref name="settings"/>; its name must be free in the organization, deleted teams included.</summary>
    public async Task<Team> CreateAsync(string name, TeamSettings settings, ProvisioningContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (normalized, problems) = TeamSettingsRules.Check(settings);
        var all = TeamSettingsRules.CheckName(name).Concat(problems).ToList();
        if (all.Count > 0)
        {
            throw new InvalidValueException(all);
        }

        await EnsureNameFreeAsync(context.OrganizationId, name, null, ct);
        await numbers.EnsureOwnedAsync(context.OrganizationId, normalized.BaseNumbers, [], ct);
        var team = new Team { OrganizationId = context.OrganizationId, CreatedAt = clock.GetUtcNow(), CreatedBy = context.Actor.ToString() };
        team.Rename(name);
        normalized.ApplyTo(team);
        db.Teams.Add(team);
        audit.Record(team.OrganizationId, context.Actor, "team.created", TargetType, team.Id.ToString(), after: Snapshot(team), cause: context.Cause);
        return team;
    }

    /// <summary>Gives the team a new name; false when it already had exactly that name.</summary>
    public async Task<bool> RenameAsync(Team team, string name, int expectedVersion, ProvisioningContext context, CancellationToken ct)
    {
        Require(team, expectedVersion, context);
        if (TeamSettingsRules.CheckName(name) is { Count: > 0 } problems)
        {
            throw new InvalidValueException(problems);
        }

        if (string.Equals(team.Name, name.Trim(), StringComparison.Ordinal))
        {
            return false;
        }

        await EnsureNameFreeAsync(team.OrganizationId, name, team.Id, ct);
        var before = new { team.Name };
        team.Rename(name);
        Touch(team);
        audit.Record(team.OrganizationId, context.Actor, "team.renamed", TargetType, team.Id.ToString(), before, new { team.Name }, context.Cause);
        return true;
    }

    /// <summary>
    /// Replaces the team's settings after checking them all; false when nothing changed. A base number the team did not
    /// have yet must be one of the organization's numbers.
    /// </summary>
    public async Task<bool> ChangeSettingsAsync(Team team, TeamSettings settings, int expectedVersion, ProvisioningContext context, CancellationToken ct)
    {
        Require(team, expectedVersion, context);
        var (normalized, problems) = TeamSettingsRules.Check(settings);
        if (problems.Count > 0)
        {
            throw new InvalidValueException(problems);
        }

        if (normalized.SameAs(TeamSettings.Of(team)))
        {
            return false;
        }

        await numbers.EnsureOwnedAsync(team.OrganizationId, normalized.BaseNumbers, team.BaseNumbers, ct);

        var before = Snapshot(team);
        normalized.ApplyTo(team);
        Touch(team);
        audit.Record(team.OrganizationId, context.Actor, "team.updated", TargetType, team.Id.ToString(), before, Snapshot(team), context.Cause);
        return true;
    }

    /// <summary>
    /// Soft delete: the team leaves the active lists and takes no new members; its memberships and settings stay, so
    /// <see cref="Restore"/> brings it back as it was. False when it was deleted already.
    /// </summary>
    public bool Delete(Team team, int expectedVersion, ProvisioningContext context)
    {
        Require(team, expectedVersion, context);
        if (!team.IsActive)
        {
            return false;
        }

        var now = clock.GetUtcNow();
        team.DeletedAt = now;
        Touch(team);
        audit.Record(team.OrganizationId, context.Actor, "team.deleted", TargetType, team.Id.ToString(), Snapshot(team) with { DeletedAt = null },
            Snapshot(team), context.Cause);
        return true;
    }

    /// <summary>Reactivates a deleted team with its members and settings; false when it was active.</summary>
    public bool Restore(Team team, int expectedVersion, ProvisioningContext context)
    {
        Require(team, expectedVersion, context);
        if (team.IsActive)
        {
            return false;
        }

        var before = Snapshot(team);
        team.DeletedAt = null;
        Touch(team);
        audit.Record(team.OrganizationId, context.Actor, "team.restored", TargetType, team.Id.ToString(), before, Snapshot(team), context.Cause);
        return true;
    }

    /// <summary>
    /// Runs <paramref name="attempt"/> (find the team, stage the change, save) again on a fresh row when a concurrent
    /// writer changed the team between its read and its save; the attempt's version check then refuses a stale form.
    /// </summary>
    public Task<T> RetryOnConflictAsync<T>(Func<Task<T>> attempt, CancellationToken ct) =>
        WriteConflicts.RetryAsync(db, attempt, () => { }, ct);

    /// <summary>Saves the staged changes; a name taken by a concurrent writer between check and save is explained.</summary>
    public async Task SaveAsync(CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e is not DbUpdateConcurrencyException
            && e.Entries.Select(entry => entry.Entity).OfType<Team>().FirstOrDefault() is { } team)
        {
            // A concurrent request took the name between the check and the save.
            if (await NameTakenAsync(team.OrganizationId, team.Name, team.Id, ct))
            {
                throw NameTaken(team.Name);
            }

            throw;
        }
    }

    private async Task EnsureNameFreeAsync(Guid organizationId, string name, Guid? except, CancellationToken ct)
    {
        if (await NameTakenAsync(organizationId, name, except, ct))
        {
            throw NameTaken(name.Trim());
        }
    }

    private Task<bool> NameTakenAsync(Guid organizationId, string name, Guid? except, CancellationToken ct)
    {
        var normalized = Team.Normalize(name);
        return db.Teams.AsNoTracking().AnyAsync(t => t.OrganizationId == organizationId && t.NormalizedName == normalized && t.Id != except, ct);
    }

    private static UniquenessConflictException NameTaken(string name) =>
        new($"A team named '{name}' already exists in this organization (deleted teams keep their names: reactivate it instead).");

    private static void Require(Team team, int expectedVersion, ProvisioningContext context)
    {
        ArgumentNullException.ThrowIfNull(team);
        ArgumentNullException.ThrowIfNull(context);
        if (team.OrganizationId != context.OrganizationId)
        {
            throw new ResourceNotFoundException($"No team with id '{team.Id}' exists in this organization.");
        }

        if (team.Version != expectedVersion)
        {
            throw new StaleVersionException($"Someone else changed the team '{team.Name}' since you opened it; the page now shows their change, make yours again.");
        }
    }

    private void Touch(Team team) => team.Version++;

    /// <summary>What the audit trail records of a team, before and after a change.</summary>
    private static TeamSnapshot Snapshot(Team team) => new(team.Name, [.. team.BaseNumbers], [.. team.ServerGroups], team.RecordingEnabled,
        team.SmsEnabled, team.NotificationsJson, [.. team.ApiScopes], team.MaxApiKeys, team.MaxRequestsPerDay, team.DeletedAt);

    private sealed record TeamSnapshot(string Name, List<string> BaseNumbers, List<string> ServerGroups, bool RecordingEnabled, bool SmsEnabled,
        string? Notifications, List<string> ApiScopes, int MaxApiKeys, int? MaxRequestsPerDay, DateTimeOffset? DeletedAt);
}

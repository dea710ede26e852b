using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using ScimBridge.Model.Audit;
using ScimBridge.Model.Mapping;
using ScimBridge.Model.Organizations;
using ScimBridge.Model.Persistence;
using ScimBridge.Model.Persistence.Sqlite;
using ScimBridge.Model.Teams;
using ScimBridge.Model.Users;

namespace ScimBridge.Model.Provisioning;

/// <summary>
/// Brings users' derived team memberships in line with their groups and the organization's mapping file.
/// Called after every group or user change, by SCIM and by sync alike, and by the mapping watcher after a file change.
/// Changes the caller has staged are saved first, in the same transaction as the recomputed memberships.
/// </summary>
public sealed class MembershipProvisioning(
    ScimBridgeDbContext db, MappingStore mappings, OrganizationSlugs slugs, AuditLog audit, TimeProvider clock, ILogger<MembershipProvisioning> logger)
{
    /// <summary>
    /// A whole-organization recompute commits in slices of this many users, so SCIM writes wait seconds, not minutes.
    /// Slices are large on purpose: every commit rewrites the pages it touched, and a change's audit entries land all
    /// over the per-user audit index, so 5,000-user slices wrote that index sixteen times and took half as long again.
    /// </summary>
    private const int UsersPerTransaction = 50_000;

    private MembershipPlanWriter Writer => new(db, audit, clock);

    /// <summary>
    /// Recomputes what a provisioning operation's <paramref name="changes"/> affect: the users named, then every user
    /// below the groups named, <paramref name="batchSize"/> of each per transaction.
    /// </summary>
    public async Task RecomputeAsync(Guid organizationId, DirectoryChanges changes, AuditActor actor, CancellationToken ct, int batchSize = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(changes);
        if (changes.IsEmpty)
        {
            return;
        }

        foreach (var users in changes.Users.Chunk(batchSize))
        {
            await RecomputeUsersAsync(organizationId, users, actor, ct);
        }

        foreach (var groups in changes.Groups.Chunk(batchSize))
        {
            await RecomputeGroupsAsync(organizationId, groups, actor, ct);
        }
    }

    /// <summary>Recomputes the derived memberships of the given users.</summary>
    public async Task RecomputeUsersAsync(Guid organizationId, IReadOnlyCollection<Guid> userIds, AuditActor actor, CancellationToken ct)
    {
        if (userIds.Count == 0 || await MappingForAsync(organizationId, ct) is not { } file)
        {
            return;
        }

        var plan = await InTransactionAsync(() => RecomputeAsync(file, organizationId, userIds, actor, ct), ct);
        await RefreshTrackedUsersAsync(plan, ct);
    }

    /// <summary>Recomputes the derived memberships of every user in these groups, directly or through nested groups.</summary>
    public async Task RecomputeGroupsAsync(Guid organizationId, IReadOnlyCollection<Guid> groupIds, AuditActor actor, CancellationToken ct)
    {
        if (groupIds.Count == 0 || await MappingForAsync(organizationId, ct) is not { } file)
        {
            return;
        }

        var plan = await InTransactionAsync(async () =>
        {
            await db.SaveChangesAsync(ct);
            var users = await MappingInputsLoader.UsersBelowAsync(db, groupIds, ct);
            return users.Count == 0 ? null : await RecomputeAsync(file, organizationId, users, actor, ct);
        }, ct);
        await RefreshTrackedUsersAsync(plan, ct);
    }

    /// <summary>
    /// Recomputes every user of the organization with the mapping in force (after a file change, or when a sync run ends),
    /// and records that version as applied. Returns what changed, or null when the organization has no mapping file.
    /// </summary>
    public async Task<MembershipPlan?> RecomputeOrganizationAsync(Guid organizationId, AuditActor actor, CancellationToken ct) =>
        await MappingForAsync(organizationId, ct) is { } file ? await ApplyAsync(organizationId, file, actor, admit: null, ct) : null;

    /// <summary>
    /// Recomputes every user of the organization with <paramref name="file"/> and records it as the applied version
    /// (text included). <paramref name="admit"/>, when given, sees what the file would take away before anything is
    /// written (the mapping guard) and may refuse: then nothing is written and the result is null.
    /// </summary>
    public async Task<MembershipPlan?> ApplyAsync(
        Guid organizationId, MappingFile file, AuditActor actor, Func<MappingImpact, bool>? admit, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(file);
        var inputs = await MappingInputsLoader.LoadAsync(db, organizationId, null, ct);

        // Teams still to be created hold no memberships yet, so this plan takes away exactly what the final one does.
        var plan = MappingEngine.Plan(file, inputs);
        if (admit is not null && !admit(MappingImpact.Of(inputs, plan)))
        {
            return null;
        }

        var created = await CreateMissingTeamsAsync(file, inputs, actor, ct);
        if (created.Count > 0)
        {
            plan = MappingEngine.Plan(file, inputs);
            plan.TeamsToCreate.AddRange(created);
        }

        foreach (var slice in plan.Users.Chunk(UsersPerTransaction))
        {
            await InTransactionAsync(async () =>
            {
                await EnlargeCacheAsync(slice.Length, ct);
                await Writer.WriteAsync(plan, slice, actor, ct);
                return plan;
            }, ct);
        }

        var applied = await db.AppliedMappings.FirstOrDefaultAsync(a => a.OrganizationId == organizationId, ct);
        if (applied is null)
        {
            applied = new AppliedMapping { OrganizationId = organizationId };
            db.AppliedMappings.Add(applied);
        }

        applied.FileName = file.FileName;
        applied.Version = file.Version;
        applied.Content = file.Text;
        applied.AppliedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        logger.LogInformation(
            "Mapping {File} applied to organization {Organization}: {Users} users changed, {Memberships} membership changes, {Teams} teams created",
            file.Describe(), file.Organization, plan.Users.Count, plan.MembershipChanges, plan.TeamsToCreate.Count);
        return plan;
    }

    /// <summary>What <paramref name="file"/> would change for the organization's users; writes nothing.</summary>
    public async Task<MembershipPlan> PreviewAsync(Guid organizationId, MappingFile file, CancellationToken ct) =>
        (await AssessAsync(organizationId, file, ct)).Plan;

    /// <summary>What <paramref name="file"/> would change, with the counts the mapping guard judges; writes nothing.</summary>
    public async Task<(MembershipPlan Plan, MappingImpact Impact)> AssessAsync(Guid organizationId, MappingFile file, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(file);
        var inputs = await MappingInputsLoader.LoadAsync(db, organizationId, null, ct);
        var missing = file.CreateMissingTeams ? MappingEngine.MissingTeams(file, inputs.Teams) : [];
        foreach (var name in missing)
        {
            inputs.Teams[Team.Normalize(name)] = new TeamInfo(EntityIds.New(), name, Exists: false, Deleted: false);
        }

        var plan = MappingEngine.Plan(file, inputs);
        plan.TeamsToCreate.AddRange(missing);
        return (plan, MappingImpact.Of(inputs, plan));
    }

    private async Task<MembershipPlan> RecomputeAsync(MappingFile file, Guid organizationId, IReadOnlyCollection<Guid> userIds, AuditActor actor, CancellationToken ct)
    {
        // Before the staged rows are saved, so their index pages do not spill either.
        await EnlargeCacheAsync(userIds.Count, ct);

        // Staged group and user changes must be visible to the queries below; they commit with the memberships.
        await db.SaveChangesAsync(ct);
        var inputs = await MappingInputsLoader.LoadAsync(db, organizationId, userIds, ct);
        await CreateMissingTeamsAsync(file, inputs, actor, ct);
        var plan = MappingEngine.Plan(file, inputs);
        await Writer.WriteAsync(plan, plan.Users, actor, ct);
        return plan;
    }

    /// <summary>Creates the teams the file names that do not exist yet, when it allows that; returns their names.</summary>
    private async Task<IReadOnlyList<string>> CreateMissingTeamsAsync(MappingFile file, MappingInputs inputs, AuditActor actor, CancellationToken ct)
    {
        var missing = MappingEngine.MissingTeams(file, inputs.Teams);
        if (missing.Count == 0)
        {
            return [];
        }

        if (!file.CreateMissingTeams)
        {
            logger.LogWarning("Mapping {File} names teams that do not exist and createMissingTeams is false: {Teams}", file.Describe(), missing);
            return [];
        }

        var now = clock.GetUtcNow();
        foreach (var name in missing)
        {
            var team = new Team { OrganizationId = inputs.OrganizationId, CreatedAt = now, CreatedBy = AuditActor.Mapping(file.FileName).ToString() };
            team.Rename(name);
            db.Teams.Add(team);
            audit.Record(inputs.OrganizationId, actor, "team.created", "team", team.Id.ToString(), after: new { team.Name },
                cause: $"named by a rule of {file.Describe()} and createMissingTeams is true");
            inputs.Teams[team.NormalizedName] = new TeamInfo(team.Id, team.Name, Exists: true, Deleted: false);
        }

        await db.SaveChangesAsync(ct);
        return missing;
    }

    /// <summary>
    /// Whether <paramref name="user"/>, about to be created in no group, keeps what it is created with: always without a
    /// mapping file, and with one whose rules give a user in no group nothing (no team, role, default team or
    /// deactivation), the usual case. Its create then needs no recompute and may join the batched path for new users.
    /// </summary>
    public async Task<bool> LeavesNewUserAloneAsync(Guid organizationId, User user, CancellationToken ct) =>
        await MappingForAsync(organizationId, ct) is not { } file
        || MappingEngine.Plan(file, MappingInputs.ForNewUser(organizationId, user)).Users.Count == 0;

    /// <summary>Whether a mapping file is in force for the organization (its users' team memberships then follow their groups).</summary>
    public async Task<bool> HasMappingAsync(Guid organizationId, CancellationToken ct) => await MappingForAsync(organizationId, ct) is not null;

    private async Task<MappingFile?> MappingForAsync(Guid organizationId, CancellationToken ct)
    {
        var slug = await slugs.FindAsync(db, organizationId, ct);
        return slug is null ? null : mappings.For(slug);
    }

    /// <summary>A recompute of many users changes many index pages: see <see cref="SqliteWriteCache"/>.</summary>
    private Task EnlargeCacheAsync(int users, CancellationToken ct) => SqliteWriteCache.EnlargeAsync(db, Math.Min(users, 9_999), ct);

    private Task<T> InTransactionAsync<T>(Func<Task<T>> work, CancellationToken ct) => WriteTransaction.RunAsync(db, work, ct);

    /// <summary>Users the caller holds were changed behind the change tracker (status, version); reload them so responses and later saves see the truth.</summary>
    private async Task RefreshTrackedUsersAsync(MembershipPlan? plan, CancellationToken ct)
    {
        if (plan is null || plan.Users.Count == 0)
        {
            return;
        }

        var changed = plan.Users.Select(u => u.UserId).ToHashSet();
        foreach (var entry in db.ChangeTracker.Entries<User>().Where(e => changed.Contains(e.Entity.Id)).ToList())
        {
            await entry.ReloadAsync(ct);
        }
    }
}

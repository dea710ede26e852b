using Microsoft.EntityFrameworkCore;
using ScimBridge.Model.Audit;
using ScimBridge.Model.Mapping;
using ScimBridge.Model.Persistence;
using ScimBridge.Model.Teams;
using ScimBridge.Model.Users;

namespace ScimBridge.Model.Provisioning;

/// <summary>
/// Writes a mapping file's <see cref="MembershipPlan"/> for <see cref="MembershipProvisioning"/>, inside the current
/// transaction, with prepared per-row statements and set-based updates (no change tracking), and appends one chained
/// audit entry per change, shaped as <see cref="MembershipAudit"/> shapes every membership entry.
/// </summary>
internal sealed class MembershipPlanWriter(ScimBridgeDbContext db, AuditLog audit, TimeProvider clock)
{
    private const string TargetType = "user";

    public async Task WriteAsync(MembershipPlan plan, IReadOnlyList<UserPlan> users, AuditActor actor, CancellationToken ct)
    {
        if (users.Count == 0)
        {
            return;
        }

        var now = clock.GetUtcNow();
        var entries = new List<AuditEntry>(users.Count * 2);
        await using var insert = MembershipInsert();
        await using var update = await PrepareMembershipUpdateAsync(ct);
        await using var touch = await PrepareUserTouchAsync(ct);
        foreach (var user in users)
        {
            foreach (var change in user.Memberships)
            {
                await WriteAsync(insert, update, plan, user, change, now, ct);
                entries.Add(audit.Create(plan.OrganizationId, actor, MembershipAudit.Action(change.Kind), TargetType, user.UserId.ToString(),
                    change.OldRole is { } old ? MembershipAudit.Snapshot(change.TeamId, change.TeamName, old, MembershipOrigin.Mapping) : null,
                    change.NewRole is { } role && change.Kind != MembershipChangeKind.Removed
                        ? MembershipAudit.Snapshot(change.TeamId, change.TeamName, role, MembershipOrigin.Mapping)
                        : null,
                    change.Cause));
            }

            // One touch per changed user: the SCIM ETag moves because the user's teams are part of its representation.
            await touch.ExecuteAsync(ct, user.FinalDefaultTeamId, user.FinalOrganizationRole, user.FinalOrganizationRoleFromMapping, now, user.UserId);
            if (user.OrganizationRole is { } roleChange)
            {
                entries.Add(audit.Create(plan.OrganizationId, actor, "user.organization-role.changed", TargetType, user.UserId.ToString(),
                    new { organizationRole = roleChange.Old }, new { organizationRole = roleChange.New }, $"organization role rules of {plan.File.Describe()}"));
            }

            if (user.DefaultTeam is { } teamChange)
            {
                entries.Add(audit.Create(plan.OrganizationId, actor, "user.default-team.changed", TargetType, user.UserId.ToString(),
                    new { defaultTeamId = teamChange.Old }, new { defaultTeamId = teamChange.New },
                    $"the previous default team is not among the user's teams; chosen by defaultTeam of {plan.File.Describe()}"));
            }
        }

        await insert.FlushAsync(ct);
        await AuditChain.AppendAsync(db, plan.OrganizationId, entries, ct);
        await SetActivationAsync(plan, users, actor, ct);
    }

    private static async Task WriteAsync(
        BulkInsert insert, BulkCommand update, MembershipPlan plan, UserPlan user, MembershipChange change, DateTimeOffset now, CancellationToken ct)
    {
        if (change.ExistingId is { } id)
        {
            var removed = change.Kind == MembershipChangeKind.Removed;
            await update.ExecuteAsync(ct, change.NewRole ?? change.OldRole, change.Cause, now, removed ? now : null, id);
            return;
        }

        // Time-ordered ids append to the primary key's B-tree instead of splitting pages all over it.
        await insert.AddAsync(ct, Guid.CreateVersion7(now), plan.OrganizationId, change.TeamId, user.UserId, change.NewRole,
            MembershipOrigin.Mapping, change.Cause, now, now);
    }

    private BulkInsert MembershipInsert()
    {
        var (_, c) = BulkCommand.Names<TeamMembership>(db);

        // A concurrent writer may have added the same row since it was read: take it over instead of failing.
        return BulkInsert.For<TeamMembership>(db,
            [nameof(TeamMembership.Id), nameof(TeamMembership.OrganizationId), nameof(TeamMembership.TeamId), nameof(TeamMembership.UserId),
                nameof(TeamMembership.Role), nameof(TeamMembership.Origin), nameof(TeamMembership.Cause), nameof(TeamMembership.CreatedAt),
                nameof(TeamMembership.UpdatedAt)],
            $"ON CONFLICT ({c(nameof(TeamMembership.TeamId))}, {c(nameof(TeamMembership.UserId))}, {c(nameof(TeamMembership.Origin))}) DO UPDATE SET " +
            $"{c(nameof(TeamMembership.Role))} = excluded.{c(nameof(TeamMembership.Role))}, " +
            $"{c(nameof(TeamMembership.Cause))} = excluded.{c(nameof(TeamMembership.Cause))}, " +
            $"{c(nameof(TeamMembership.UpdatedAt))} = excluded.{c(nameof(TeamMembership.UpdatedAt))}, " +
            $"{c(nameof(TeamMembership.RemovedAt))} = NULL");
    }

    private Task<BulkCommand> PrepareMembershipUpdateAsync(CancellationToken ct)
    {
        string[] properties = [nameof(TeamMembership.Role), nameof(TeamMembership.Cause), nameof(TeamMembership.UpdatedAt), nameof(TeamMembership.RemovedAt)];
        var (table, c) = BulkCommand.Names<TeamMembership>(db);
        var sql = $"UPDATE {table} SET {string.Join(", ", properties.Select((p, i) => $"{c(p)} = @p{i}"))} WHERE {c(nameof(TeamMembership.Id))} = @p4";
        return BulkCommand.PrepareAsync(db, sql, [.. properties.Append(nameof(TeamMembership.Id)).Select(p => BulkCommand.Column<TeamMembership>(db, p))], ct);
    }

    private Task<BulkCommand> PrepareUserTouchAsync(CancellationToken ct)
    {
        string[] properties = [nameof(User.DefaultTeamId), nameof(User.OrganizationRole), nameof(User.OrganizationRoleFromMapping), nameof(User.UpdatedAt)];
        var (table, c) = BulkCommand.Names<User>(db);
        var sql = $"UPDATE {table} SET {string.Join(", ", properties.Select((p, i) => $"{c(p)} = @p{i}"))}, " +
                  $"{c(nameof(User.Version))} = {c(nameof(User.Version))} + 1 WHERE {c(nameof(User.Id))} = @p4";
        return BulkCommand.PrepareAsync(db, sql, [.. properties.Append(nameof(User.Id)).Select(p => BulkCommand.Column<User>(db, p))], ct);
    }

    /// <summary>Users in no mapped group are deactivated (unmappedUsers: deactivate), and reactivated once mapped again, through the one write path for users.</summary>
    private async Task SetActivationAsync(MembershipPlan plan, IReadOnlyList<UserPlan> users, AuditActor actor, CancellationToken ct)
    {
        var context = new ProvisioningContext(plan.OrganizationId, actor, ManagedBySources.Mapping) { DeactivatesAs = ManagedBySources.Mapping };
        var provisioning = new UserProvisioning(db, audit, clock);
        await provisioning.DeactivateManyAsync(
            [.. users.Where(u => u.Activation == ActivationChange.Deactivate)
                .Select(u => new UserActivation(u.UserId, $"in no mapped group and unmappedUsers is deactivate in {plan.File.Describe()}"))],
            context, ct);
        await provisioning.ReactivateManyAsync(
            [.. users.Where(u => u.Activation == ActivationChange.Reactivate)
                .Select(u => new UserActivation(u.UserId, $"deactivated by a mapping before; now mapped again (or unmappedUsers is keep) in {plan.File.Describe()}"))],
            context, ct, onlyDeactivatedBy: ManagedBySources.Mapping);
    }
}

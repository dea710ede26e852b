using Microsoft.EntityFrameworkCore;
using ScimBridge.Model.Audit;
using ScimBridge.Model.Groups;
using ScimBridge.Model.Persistence;
using ScimBridge.Model.Provisioning;
using ScimBridge.Model.Users;

namespace ScimBridge.Model.Reconcile;

/// <summary>
/// Writes a <see cref="ReconcilePlan"/> in batched transactions: each batch saves its changes and their audit entries
/// (actor: the run) together, so a run that stops half-way leaves a consistent directory that the next run completes.
/// Ends by recomputing the team memberships of every affected user, so mapping files apply to synced users too.
/// </summary>
public sealed class ReconcileApplier(ScimBridgeDbContext db, AuditLog audit, MembershipProvisioning memberships, TimeProvider clock)
{
    /// <summary>Changes per transaction.</summary>
    public int BatchSize { get; set; } = 1000;

    public async Task ApplyAsync(ReconcilePlan plan, ProvisioningContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(context);
        var source = context.ManagedBy;
        var now = clock.GetUtcNow();

        await InBatchesAsync(plan.GroupCreates, batch => InsertAsync(batch.Select(create =>
        {
            var group = new DirectoryGroup
            {
                Id = create.Id, OrganizationId = context.OrganizationId, ExternalId = create.SourceKey,
                DistinguishedName = create.DistinguishedName, ManagedBy = source, CreatedAt = now, UpdatedAt = now,
            };
            group.Rename(create.DisplayName);
            return (group, Created(context, "group.created", GroupProvisioning.TargetType, group.Id, new { group.DisplayName, group.ExternalId, group.DistinguishedName }));
        }).ToList(), context.OrganizationId, (rows, token) => BulkInsert.RunAsync(db, rows, token), ct), ct, save: false);
        await ChangeGroupsAsync(plan, context, now, ct);

        await InBatchesAsync(plan.Creates, batch => InsertAsync(batch.Select(create =>
        {
            var user = new User
            {
                Id = create.Id, OrganizationId = context.OrganizationId, ManagedBy = source, SourceKey = create.SourceKey,
                SourceFingerprint = create.Fingerprint, CreatedAt = now, UpdatedAt = now,
            };
            user.ApplyProfile(create.Profile);
            if (!create.Enabled)
            {
                user.Deactivate(now, source);
            }
            return (user, Created(context, "user.created", UserProvisioning.TargetType, user.Id, user.ToProfile()));
        }).ToList(), context.OrganizationId, async (rows, token) =>
        {
            await BulkInsert.RunAsync(db, rows, token);
            await BulkInsert.RunAsync(db, rows.SelectMany(u => u.Emails), token);
            await BulkInsert.RunAsync(db, rows.SelectMany(u => u.PhoneNumbers), token);
        }, ct), ct, save: false);
        await ChangeUsersAsync(plan.Updates, u => u.Id, (user, update) =>
        {
            var before = user.ToProfile();
            user.ApplyProfile(update.After);
            user.SourceFingerprint = update.Fingerprint;
            return ("user.updated", before, null);
        }, context, now, ct);
        await ChangeUsersAsync(plan.Deactivations, d => d.Id, (user, deactivation) =>
        {
            var before = user.ToProfile();
            user.Deactivate(now, source);
            return ("user.deactivated", before, Describe(deactivation.Reason));
        }, context, now, ct);
        await ChangeUsersAsync(plan.Reactivations, r => r.Id, (user, _) =>
        {
            var before = user.ToProfile();
            user.Reactivate();
            return ("user.reactivated", before, "enabled in the source again");
        }, context, now, ct);

        await ChangeMembersAsync(plan, context, now, ct);
        await RecomputeAsync(plan, context, ct);
    }

    private async Task ChangeGroupsAsync(ReconcilePlan plan, ProvisioningContext context, DateTimeOffset now, CancellationToken ct)
    {
        var changes = plan.GroupUpdates.Select(u => (u.Id, Update: (GroupUpdate?)u, Deletion: (GroupDeletion?)null))
            .Concat(plan.GroupDeletions.Select(d => (d.Id, Update: (GroupUpdate?)null, Deletion: (GroupDeletion?)d)))
            .ToList();
        await InBatchesAsync(changes, async batch =>
        {
            var ids = batch.Select(c => c.Id).ToList();
            var groups = await db.Groups.Where(g => ids.Contains(g.Id)).ToDictionaryAsync(g => g.Id, ct);
            foreach (var (id, update, deletion) in batch)
            {
                var group = groups[id];
                var before = new { group.DisplayName, group.ExternalId, group.DistinguishedName };
                string action;
                if (deletion is not null)
                {
                    group.DeletedAt = now;
                    action = "group.deleted";
                }
                else
                {
                    group.Rename(update!.DisplayName);
                    group.DistinguishedName = update.DistinguishedName;
                    group.DeletedAt = null;
                    action = update.Restore ? "group.restored" : "group.updated";
                }
                group.UpdatedAt = now;
                group.Version++;
                Record(context, action, GroupProvisioning.TargetType, id, before, new { group.DisplayName, group.ExternalId, group.DistinguishedName });
            }
        }, ct);
    }

    private Task ChangeUsersAsync<T>(
        List<T> changes, Func<T, Guid> idOf, Func<User, T, (string Action, UserProfile Before, string? Cause)> apply,
        ProvisioningContext context, DateTimeOffset now, CancellationToken ct) =>
        InBatchesAsync(changes, async batch =>
        {
            var ids = batch.Select(idOf).ToList();
            var users = await db.Users.AsSplitQuery().Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, ct);
            foreach (var change in batch)
            {
                var user = users[idOf(change)];
                var (action, before, cause) = apply(user, change);
                user.UpdatedAt = now;
                user.Version++;
                Record(context, action, UserProvisioning.TargetType, user.Id, before, user.ToProfile(), cause);
            }
        }, ct);

    /// <summary>Member rows added in bulk; removals, group versions and audit entries through EF, all in one transaction per batch.</summary>
    private async Task ChangeMembersAsync(ReconcilePlan plan, ProvisioningContext context, DateTimeOffset now, CancellationToken ct)
    {
        var byGroup = plan.MemberAdds.Select(m => (Change: m, Added: true))
            .Concat(plan.MemberRemoves.Select(m => (Change: m, Added: false)))
            .GroupBy(m => m.Change.GroupId)
            .ToList();
        await InBatchesAsync(byGroup, async batch =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var ids = batch.Select(g => g.Key).ToList();
            var groups = await db.Groups.Where(g => ids.Contains(g.Id)).ToDictionaryAsync(g => g.Id, ct);
            var rows = new List<GroupMember>();
            foreach (var changes in batch)
            {
                var added = changes.Where(c => c.Added).Select(c => c.Change).ToList();
                var removed = changes.Where(c => !c.Added).Select(c => c.Change).ToList();
                rows.AddRange(added.Select(a => new GroupMember
                {
                    GroupId = a.GroupId, MemberId = a.MemberId, AddedAt = now,
                    MemberType = a.IsGroup ? GroupMemberType.Group : GroupMemberType.User,
                }));
                db.GroupMembers.RemoveRange(removed.Select(r => new GroupMember { GroupId = r.GroupId, MemberId = r.MemberId }));
                if (added.Count > 0)
                {
                    Record(context, "group.members.added", GroupProvisioning.TargetType, changes.Key, after: new { members = added.Select(a => a.MemberId) });
                }
                if (removed.Count > 0)
                {
                    Record(context, "group.members.removed", GroupProvisioning.TargetType, changes.Key, before: new { members = removed.Select(r => r.MemberId) });
                }
                var group = groups[changes.Key];
                group.UpdatedAt = now;
                group.Version++;
            }
            await BulkInsert.RunAsync(db, rows, ct);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            db.ChangeTracker.Clear();
        }, ct, weight: g => g.Count(), save: false);
    }

    /// <summary>Team memberships follow groups and activation: recompute them for everyone the run touched.</summary>
    private async Task RecomputeAsync(ReconcilePlan plan, ProvisioningContext context, CancellationToken ct)
    {
        var users = plan.Creates.Select(c => c.Id)
            .Concat(plan.Deactivations.Select(d => d.Id))
            .Concat(plan.Reactivations.Select(r => r.Id))
            .Concat(plan.MemberAdds.Concat(plan.MemberRemoves).Where(m => !m.IsGroup).Select(m => m.MemberId))
            .Distinct()
            .ToList();
        var groups = plan.GroupUpdates.Select(g => g.Id)
            .Concat(plan.GroupDeletions.Select(g => g.Id))
            .Concat(plan.MemberAdds.Concat(plan.MemberRemoves).Where(m => m.IsGroup).Select(m => m.GroupId))
            .Distinct()
            .ToList();
        await InBatchesAsync(users, batch => memberships.RecomputeUsersAsync(context.OrganizationId, batch, context.Actor, ct), ct);
        await InBatchesAsync(groups, batch => memberships.RecomputeGroupsAsync(context.OrganizationId, batch, context.Actor, ct), ct);
    }

    /// <summary>Runs <paramref name="stage"/> on slices of about <see cref="BatchSize"/> changes, saving (one transaction) after each.</summary>
    private async Task InBatchesAsync<T>(IReadOnlyList<T> items, Func<List<T>, Task> stage, CancellationToken ct, Func<T, int>? weight = null, bool save = true)
    {
        var batch = new List<T>();
        var size = 0;
        foreach (var item in items)
        {
            batch.Add(item);
            size += weight?.Invoke(item) ?? 1;
            if (size >= BatchSize)
            {
                await SaveAsync(batch, stage, save, ct);
                batch.Clear();
                size = 0;
            }
        }
        if (batch.Count > 0)
        {
            await SaveAsync(batch, stage, save, ct);
        }
    }

    private async Task SaveAsync<T>(List<T> batch, Func<List<T>, Task> stage, bool save, CancellationToken ct)
    {
        await stage(batch);
        if (save)
        {
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
        }
    }

    /// <summary>New rows and their audit entries (chained after the organization's last one) in one transaction, without change tracking.</summary>
    private async Task InsertAsync<T>(List<(T Row, AuditEntry Audit)> created, Guid organizationId, Func<List<T>, CancellationToken, Task> insert, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await insert([.. created.Select(c => c.Row)], ct);
        await AuditAppender.AppendAsync(db, organizationId, [.. created.Select(c => c.Audit)], ct);
        await transaction.CommitAsync(ct);
    }

    private AuditEntry Created(ProvisioningContext context, string action, string targetType, Guid id, object after) =>
        audit.Create(context.OrganizationId, context.Actor, action, targetType, id.ToString(), after: after, cause: context.Cause);

    private void Record(ProvisioningContext context, string action, string targetType, Guid id, object? before = null, object? after = null, string? cause = null) =>
        audit.Record(context.OrganizationId, context.Actor, action, targetType, id.ToString(), before, after, cause ?? context.Cause);

    private static string Describe(DeactivationReason reason) => reason switch
    {
        DeactivationReason.AbsentFromFullRead => "absent from a complete read of the source",
        DeactivationReason.DisabledInSource => "disabled in the source",
        DeactivationReason.RemovedFromSource => "deleted in the source",
        DeactivationReason.LeftScope => "no longer among the source's users (deleted, or moved out of its base DN or filter)",
        _ => reason.ToString(),
    };
}

using Microsoft.EntityFrameworkCore;
using ScimBridge.Model.Audit;
using ScimBridge.Model.Groups;
using ScimBridge.Model.Persistence;
using ScimBridge.Model.Persistence.Sqlite;

namespace ScimBridge.Model.Provisioning;

/// <summary>
/// Operations on many groups at once (a sync run). Each call writes and commits (in the caller's transaction when
/// there is one), with the same version, audit action and payload as the single-group operations.
/// </summary>
public sealed partial class GroupProvisioning
{
    /// <summary>From this many rows on, set-based inserts beat the change tracker.</summary>
    private const int BulkThreshold = 32;

    /// <summary>Creates the groups with their ids. New groups have no members, so no derived membership changes.</summary>
    public async Task<DirectoryChanges> CreateManyAsync(IReadOnlyList<NewGroup> groups, ProvisioningContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentNullException.ThrowIfNull(context);
        var built = groups.Select(g => Build(g, context)).ToList();
        if (built.Count == 0)
        {
            return DirectoryChanges.None;
        }

        if (built.Count < BulkThreshold)
        {
            foreach (var (group, entry) in built)
            {
                db.Groups.Add(group);
                db.AuditEntries.Add(entry);
            }

            await db.SaveChangesAsync(ct);
        }
        else
        {
            await WriteTransaction.RunAsync(db, async () =>
            {
                await BulkInsert.RunAsync(db, built.Select(b => b.Group), ct);
                await AuditChain.AppendAsync(db, context.OrganizationId, [.. built.Select(b => b.Entry)], ct);
            }, ct);
        }

        return DirectoryChanges.None;
    }

    /// <summary>Renames groups (a <see cref="GroupEdit.Restore"/> also brings them back) and saves; every user below them is affected.</summary>
    public async Task<DirectoryChanges> UpdateManyAsync(IReadOnlyList<GroupEdit> edits, ProvisioningContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(edits);
        ArgumentNullException.ThrowIfNull(context);
        if (edits.Count == 0)
        {
            return DirectoryChanges.None;
        }

        return await WriteConflicts.RetryAsync(db, () => WriteUpdatesAsync(edits, context, ct), () => { }, ct);
    }

    private async Task<DirectoryChanges> WriteUpdatesAsync(IReadOnlyList<GroupEdit> edits, ProvisioningContext context, CancellationToken ct)
    {
        var groups = await LoadAsync(edits.Select(e => e.Id), context, ct);
        foreach (var edit in edits)
        {
            var group = groups[edit.Id];
            var before = Snapshot(group);
            group.Rename(edit.DisplayName);
            group.DistinguishedName = edit.DistinguishedName ?? group.DistinguishedName;
            var restored = edit.Restore && group.DeletedAt is not null;
            group.DeletedAt = edit.Restore ? null : group.DeletedAt;
            Touch(group);
            audit.Record(context.OrganizationId, context.Actor, restored ? "group.restored" : "group.updated", TargetType, group.Id.ToString(),
                before, Snapshot(group), context.Cause);
        }

        await db.SaveChangesAsync(ct);
        return DirectoryChanges.OfGroups(groups.Keys);
    }

    /// <summary>Deletes groups (hidden, members kept for a restore) and saves; every user below them is affected.</summary>
    public async Task<DirectoryChanges> DeleteManyAsync(IReadOnlyList<Guid> groupIds, ProvisioningContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(groupIds);
        ArgumentNullException.ThrowIfNull(context);
        if (groupIds.Count == 0)
        {
            return DirectoryChanges.None;
        }

        return await WriteConflicts.RetryAsync(db, () => WriteDeletionsAsync(groupIds, context, ct), () => { }, ct);
    }

    private async Task<DirectoryChanges> WriteDeletionsAsync(IReadOnlyList<Guid> groupIds, ProvisioningContext context, CancellationToken ct)
    {
        var groups = await LoadAsync(groupIds, context, ct);
        var now = clock.GetUtcNow();
        foreach (var group in groups.Values)
        {
            var before = Snapshot(group);
            group.DeletedAt = now;
            Touch(group);
            audit.Record(context.OrganizationId, context.Actor, "group.deleted", TargetType, group.Id.ToString(), before: before, cause: context.Cause);
        }

        await db.SaveChangesAsync(ct);
        return DirectoryChanges.OfGroups(groups.Keys);
    }

    /// <summary>
    /// Adds and removes members of many groups in one transaction: one audit entry per group and direction, one version
    /// per group. Adding a member that is one already, or removing one that is not, is a no-op. Returns the users whose
    /// groups changed and the groups that gained or lost a nested group.
    /// </summary>
    public async Task<DirectoryChanges> ApplyMemberChangesAsync(
        IReadOnlyList<MemberEdit> adds, IReadOnlyList<MemberEdit> removes, ProvisioningContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(adds);
        ArgumentNullException.ThrowIfNull(removes);
        ArgumentNullException.ThrowIfNull(context);
        return adds.Count + removes.Count == 0
            ? DirectoryChanges.None
            : await WriteConflicts.RetryAsync(db, () => WriteMemberChangesAsync(adds, removes, context, ct), () => { }, ct);
    }

    private async Task<DirectoryChanges> WriteMemberChangesAsync(
        IReadOnlyList<MemberEdit> adds, IReadOnlyList<MemberEdit> removes, ProvisioningContext context, CancellationToken ct)
    {
        // Plain loops over the edits: a change round removes tens of thousands of members, and every LINQ shape over them
        // is code a fresh process compiles first.
        var changes = new DirectoryChanges();
        var byGroup = new Dictionary<Guid, GroupEdits>();
        Collect(byGroup, removes, added: false, changes);
        Collect(byGroup, adds, added: true, changes);
        List<Guid> groupIds = [.. byGroup.Keys];
        groupIds.Sort();
        await WriteTransaction.RunAsync(db, async () =>
        {
            // The audit entries (every member id as JSON) are built on another core while the database writes the rows.
            var entries = Alongside.Start(adds.Count + removes.Count, () => Entries(byGroup, groupIds, context));
            await SqliteWriteCache.EnlargeAsync(db, adds.Count + removes.Count, ct);
            var versions = await VersionsAsync(groupIds, context, ct);
            var now = clock.GetUtcNow();

            // Written by the member rows' writer directly rather than staged on the context: a first sync adds a million.
            await MemberRows.WriteAsync(db,
                adds.Select(a => new MemberRow(a.GroupId, a.MemberId, a.IsGroup ? GroupMemberType.Group : GroupMemberType.User, now)),
                removes.Select(r => (r.GroupId, r.MemberId)), ct);
            await TouchAsync(versions, now, ct);
            await AuditChain.AppendAsync(db, context.OrganizationId, await entries, ct);
        }, ct);

        await RefreshTrackedAsync(groupIds, ct);
        return changes;
    }

    /// <summary>One entry per group and direction, in group id order, each listing its members in id order.</summary>
    private List<AuditEntry> Entries(Dictionary<Guid, GroupEdits> byGroup, List<Guid> groupIds, ProvisioningContext context)
    {
        var entries = new List<AuditEntry>();
        foreach (var groupId in groupIds)
        {
            var group = byGroup[groupId];
            if (group.Removed.Count > 0)
            {
                group.Removed.Sort();
                entries.Add(audit.Create(context.OrganizationId, context.Actor, "group.members.removed", TargetType, groupId.ToString(),
                    before: new { members = group.Removed }, cause: context.Cause));
            }

            if (group.Added.Count > 0)
            {
                group.Added.Sort();
                entries.Add(audit.Create(context.OrganizationId, context.Actor, "group.members.added", TargetType, groupId.ToString(),
                    after: new { members = group.Added }, cause: context.Cause));
            }
        }

        return entries;
    }

    /// <summary>Files <paramref name="edits"/> under their groups and notes the users and groups whose groups they change.</summary>
    private static void Collect(Dictionary<Guid, GroupEdits> byGroup, IReadOnlyList<MemberEdit> edits, bool added, DirectoryChanges changes)
    {
        foreach (var edit in edits)
        {
            if (!byGroup.TryGetValue(edit.GroupId, out var group))
            {
                byGroup[edit.GroupId] = group = new GroupEdits();
            }

            (added ? group.Added : group.Removed).Add(edit.MemberId);
            if (edit.IsGroup)
            {
                changes.Groups.Add(edit.GroupId);
            }
            else
            {
                changes.Users.Add(edit.MemberId);
            }
        }
    }

    /// <summary>One group's members to add and to remove, as its audit entries list them (in order once sorted).</summary>
    private sealed class GroupEdits
    {
        public List<Guid> Added { get; } = [];
        public List<Guid> Removed { get; } = [];
    }

    /// <summary>The versions of the organization's groups <paramref name="ids"/> (distinct); every id must be one of them.</summary>
    private async Task<Dictionary<Guid, int>> VersionsAsync(List<Guid> ids, ProvisioningContext context, CancellationToken ct)
    {
        // Plain statements, a slice of ids at a time: EF Core compiled a query for this in every fresh process.
        var (groups, column) = BulkCommand.Names<DirectoryGroup>(db);
        var organization = BulkCommand.Column<DirectoryGroup>(db, nameof(DirectoryGroup.OrganizationId));
        var id = BulkCommand.Column<DirectoryGroup>(db, nameof(DirectoryGroup.Id));
        var versions = new Dictionary<Guid, int>(ids.Count);
        foreach (var slice in ids.Chunk(1000))
        {
            var sql = $"SELECT {column(nameof(DirectoryGroup.Id))}, {column(nameof(DirectoryGroup.Version))} FROM {groups} " +
                      $"WHERE {column(nameof(DirectoryGroup.OrganizationId))} = @p0 AND {column(nameof(DirectoryGroup.Id))} IN " +
                      $"({string.Join(",", slice.Select((_, i) => $"@p{i + 1}"))})";
            await DbRows.ReadAsync(db, sql, [new DbValue(organization, context.OrganizationId), .. slice.Select(g => new DbValue(id, g))],
                reader => versions[reader.GetGuid(0)] = reader.GetInt32(1), ct);
        }

        return versions.Count == ids.Count
            ? versions
            : throw new KeyNotFoundException($"Group {ids.First(g => !versions.ContainsKey(g))} is not in the organization.");
    }

    /// <summary>
    /// Bumps each group's version (its ETag) from the one read, as a tracked save would, by one prepared statement run per
    /// group: a version that moved meanwhile means a concurrent writer won, and the attempt is retried like a lost save.
    /// </summary>
    private async Task TouchAsync(Dictionary<Guid, int> versions, DateTimeOffset now, CancellationToken ct)
    {
        var (groups, column) = BulkCommand.Names<DirectoryGroup>(db);
        string[] properties = [nameof(DirectoryGroup.UpdatedAt), nameof(DirectoryGroup.Version), nameof(DirectoryGroup.Id), nameof(DirectoryGroup.Version)];
        await using var touch = await BulkCommand.PrepareAsync(db,
            $"UPDATE {groups} SET {column(properties[0])} = @p0, {column(properties[1])} = @p1 WHERE {column(properties[2])} = @p2 AND {column(properties[3])} = @p3",
            [.. properties.Select(p => BulkCommand.Column<DirectoryGroup>(db, p))], ct);
        foreach (var (id, version) in versions.OrderBy(v => v.Key))
        {
            if (await touch.ExecuteAsync(ct, now, version + 1, id, version) == 0)
            {
                throw new DbUpdateConcurrencyException($"Group {id} changed while its members were written.");
            }
        }
    }

    /// <summary>Groups the caller holds were changed behind the change tracker; reload them so later saves see the new versions.</summary>
    private async Task RefreshTrackedAsync(IEnumerable<Guid> changed, CancellationToken ct)
    {
        var ids = changed.ToHashSet();
        foreach (var entry in db.ChangeTracker.Entries<DirectoryGroup>().Where(e => ids.Contains(e.Entity.Id)).ToList())
        {
            await entry.ReloadAsync(ct);
        }
    }

    /// <summary>A new group and the audit entry of its creation, neither staged yet.</summary>
    private (DirectoryGroup Group, AuditEntry Entry) Build(NewGroup request, ProvisioningContext context)
    {
        var now = clock.GetUtcNow();
        var group = new DirectoryGroup
        {
            Id = request.Id,
            OrganizationId = context.OrganizationId,
            ExternalId = request.ExternalId,
            DistinguishedName = request.DistinguishedName,
            ManagedBy = context.ManagedBy,
            CreatedAt = now,
            UpdatedAt = now,
        };
        group.Rename(request.DisplayName);
        var entry = audit.Create(context.OrganizationId, context.Actor, "group.created", TargetType, group.Id.ToString(), after: Snapshot(group), cause: context.Cause);
        return (group, entry);
    }

    /// <summary>
    /// The organization's groups among <paramref name="ids"/>, tracked, each found by its key (held ones from the change
    /// tracker): a sync run renames a handful, and compiling a query over a list of ids cost a fresh process more than
    /// a lookup per group.
    /// </summary>
    private async Task<Dictionary<Guid, DirectoryGroup>> LoadAsync(IEnumerable<Guid> ids, ProvisioningContext context, CancellationToken ct)
    {
        var groups = new Dictionary<Guid, DirectoryGroup>();
        foreach (var id in ids)
        {
            if (!groups.ContainsKey(id) && await db.Groups.FindAsync([id], ct) is { } group && group.OrganizationId == context.OrganizationId)
            {
                groups[id] = group;
            }
        }

        return groups;
    }
}

using Microsoft.EntityFrameworkCore;
using ScimBridge.Model.Audit;
using ScimBridge.Model.Groups;
using ScimBridge.Model.Persistence;

namespace ScimBridge.Model.Provisioning;

/// <summary>
/// The one write path for directory groups and their members. Member changes touch only the members named. The
/// single-group operations stage their changes and remember what they mean for derived memberships; <see cref="SaveAsync"/>
/// recomputes those and saves.
/// </summary>
public sealed partial class GroupProvisioning(ScimBridgeDbContext db, AuditLog audit, TimeProvider clock)
{
    public const string TargetType = "group";

    /// <summary>What the staged changes mean for derived memberships, until <see cref="SaveAsync"/>.</summary>
    private DirectoryChanges _staged = new();

    public DirectoryGroup Create(string displayName, string? externalId, ProvisioningContext context, string? distinguishedName = null)
    {
        RequireName(displayName);
        var (group, entry) = Build(new NewGroup(EntityIds.New(), displayName, externalId, distinguishedName), context);
        db.Groups.Add(group);
        db.AuditEntries.Add(entry);
        return group;
    }

    /// <summary>Renames or re-identifies a group; returns false when nothing changed.</summary>
    public bool Update(DirectoryGroup group, string displayName, string? externalId, ProvisioningContext context, string? distinguishedName = null)
    {
        RequireName(displayName);
        if (group.DisplayName == displayName && group.ExternalId == externalId
            && (distinguishedName is null || group.DistinguishedName == distinguishedName))
        {
            return false;
        }

        var before = Snapshot(group);
        group.Rename(displayName);
        group.ExternalId = externalId;
        group.DistinguishedName = distinguishedName ?? group.DistinguishedName;
        Touch(group);
        audit.Record(group.OrganizationId, context.Actor, "group.updated", TargetType, group.Id.ToString(), before, Snapshot(group), context.Cause);
        _staged.Groups.Add(group.Id);
        return true;
    }

    /// <summary>Adds members that are not members yet; ids that already are members are ignored. Returns the ids added.</summary>
    public async Task<IReadOnlyList<Guid>> AddMembersAsync(DirectoryGroup group, IReadOnlyCollection<Guid> memberIds, ProvisioningContext context, CancellationToken ct)
    {
        if (memberIds.Count == 0)
        {
            return [];
        }

        var wanted = memberIds.Distinct().ToList();
        var userIds = await db.Users.IgnoreAutoIncludes()
            .LiveIn(group.OrganizationId)
            .Where(u => wanted.Contains(u.Id))
            .Select(u => u.Id)
            .ToListAsync(ct);
        var groupIds = userIds.Count == wanted.Count
            ? []
            : await db.Groups.LiveIn(group.OrganizationId)
                .Where(g => g.Id != group.Id && wanted.Contains(g.Id))
                .Select(g => g.Id)
                .ToListAsync(ct);
        var unknown = wanted.Except(userIds).Except(groupIds).ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidValueException($"No user or group with id '{unknown[0]}' exists in this organization.");
        }

        var existing = await db.MemberEdges
            .Where(m => m.GroupId == group.Id && wanted.Contains(m.MemberId))
            .Select(m => m.MemberId)
            .ToListAsync(ct);
        var added = wanted.Except(existing).ToList();
        if (added.Count == 0)
        {
            return [];
        }

        var now = clock.GetUtcNow();
        var users = userIds.ToHashSet();
        foreach (var id in added)
        {
            db.AddMember(group.Id, id, users.Contains(id) ? GroupMemberType.User : GroupMemberType.Group, now);
        }

        Touch(group);
        audit.Record(group.OrganizationId, context.Actor, "group.members.added", TargetType, group.Id.ToString(),
            after: new { members = added }, cause: context.Cause);
        StageMembers(group.Id, added.Select(id => (id, !users.Contains(id))));
        return added;
    }

    /// <summary>Removes exactly the members named; others are untouched. Returns the ids removed.</summary>
    public async Task<IReadOnlyList<Guid>> RemoveMembersAsync(DirectoryGroup group, IReadOnlyCollection<Guid> memberIds, ProvisioningContext context, CancellationToken ct)
    {
        if (memberIds.Count == 0)
        {
            return [];
        }

        var wanted = memberIds.Distinct().ToList();
        var rows = await db.MemberEdges
            .Where(m => m.GroupId == group.Id && wanted.Contains(m.MemberId))
            .Select(m => new { m.MemberId, m.MemberType })
            .ToListAsync(ct);
        if (rows.Count == 0)
        {
            return [];
        }

        foreach (var row in rows)
        {
            db.RemoveMember(group.Id, row.MemberId);
        }

        Touch(group);
        var removed = rows.Select(r => r.MemberId).ToList();
        audit.Record(group.OrganizationId, context.Actor, "group.members.removed", TargetType, group.Id.ToString(),
            before: new { members = removed }, cause: context.Cause);
        StageMembers(group.Id, rows.Select(r => (r.MemberId, r.MemberType == GroupMemberType.Group)));
        return removed;
    }

    /// <summary>Makes the member list exactly <paramref name="memberIds"/>; returns what was added and removed.</summary>
    public async Task<(IReadOnlyList<Guid> Added, IReadOnlyList<Guid> Removed)> ReplaceMembersAsync(
        DirectoryGroup group, IReadOnlyCollection<Guid> memberIds, ProvisioningContext context, CancellationToken ct)
    {
        var current = await db.MemberEdges.Where(m => m.GroupId == group.Id).Select(m => m.MemberId).ToListAsync(ct);
        var wanted = memberIds.ToHashSet();
        var toRemove = current.Where(id => !wanted.Contains(id)).ToList();
        var toAdd = wanted.Except(current).ToList();
        var removed = await RemoveMembersAsync(group, toRemove, context, ct);
        var added = await AddMembersAsync(group, toAdd, context, ct);
        return (added, removed);
    }

    /// <summary>SCIM DELETE or gone from the directory: hidden, members kept for a restore, audited.</summary>
    public void Delete(DirectoryGroup group, ProvisioningContext context)
    {
        var before = Snapshot(group);
        group.DeletedAt = clock.GetUtcNow();
        Touch(group);
        audit.Record(group.OrganizationId, context.Actor, "group.deleted", TargetType, group.Id.ToString(), before: before, cause: context.Cause);
        _staged.Groups.Add(group.Id);
    }

    public void Restore(DirectoryGroup group, ProvisioningContext context)
    {
        var before = Snapshot(group);
        group.DeletedAt = null;
        Touch(group);
        audit.Record(group.OrganizationId, context.Actor, "group.restored", TargetType, group.Id.ToString(), before, Snapshot(group), context.Cause);
        _staged.Groups.Add(group.Id);
    }

    /// <summary>
    /// Runs <paramref name="attempt"/> (find the group, check the caller's precondition, stage the change, <see cref="SaveAsync"/>)
    /// again on fresh rows whenever a concurrent writer changed the group or its members between its read and its save:
    /// concurrent member changes all land, and adding a member another request just added, or removing one it just
    /// removed, is the no-op it would have been a moment later.
    /// </summary>
    public Task<T> RetryOnConflictAsync<T>(Func<Task<T>> attempt, CancellationToken ct) =>
        WriteConflicts.RetryAsync(db, attempt, () => _staged = new DirectoryChanges(), ct);

    /// <summary>
    /// Recomputes the derived memberships the staged changes affect (the users added or removed, and every user below
    /// a group that was renamed, deleted or gained or lost a nested group), then saves everything in that order.
    /// </summary>
    public async Task<DirectoryChanges> SaveAsync(ProvisioningContext context, MembershipProvisioning memberships, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(memberships);
        var changes = _staged;
        _staged = new DirectoryChanges();
        await memberships.RecomputeAsync(context.OrganizationId, changes, context.Actor, ct);
        await db.SaveChangesAsync(ct);
        return changes;
    }

    private void StageMembers(Guid groupId, IEnumerable<(Guid MemberId, bool IsGroup)> members)
    {
        foreach (var (memberId, isGroup) in members)
        {
            if (isGroup)
            {
                _staged.Groups.Add(groupId);
            }
            else
            {
                _staged.Users.Add(memberId);
            }
        }
    }

    /// <summary>What the audit trail records of a group, before and after a change.</summary>
    private static object Snapshot(DirectoryGroup group) => new { group.DisplayName, group.ExternalId, group.DistinguishedName };

    private void Touch(DirectoryGroup group)
    {
        group.UpdatedAt = clock.GetUtcNow();
        group.Version++;
    }

    private static void RequireName(string displayName)
    {
        if (string.IsNullOrWhiteSpace(displayName))
        {
            throw new InvalidValueException("displayName is required.");
        }
    }
}

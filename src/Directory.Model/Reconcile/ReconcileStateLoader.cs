using Microsoft.EntityFrameworkCore;
using ScimBridge.Model.Groups;
using ScimBridge.Model.Persistence;

namespace ScimBridge.Model.Reconcile;

/// <summary>Reads a source's <see cref="ReconcileState"/> without tracking, in a handful of set-based queries.</summary>
public static class ReconcileStateLoader
{
    public static async Task<ReconcileState> LoadAsync(ScimBridgeDbContext db, Guid organizationId, string source, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var users = await db.Users.AsNoTracking().AsSplitQuery()
            .Where(u => u.OrganizationId == organizationId && u.ManagedBy == source && u.SourceKey != null)
            .ToListAsync(ct);
        var others = await db.Users.AsNoTracking().IgnoreAutoIncludes()
            .Where(u => u.OrganizationId == organizationId && u.ManagedBy != source)
            .Select(u => new { u.NormalizedUserName, u.ManagedBy })
            .ToListAsync(ct);
        var groups = await db.Groups.AsNoTracking()
            .Where(g => g.OrganizationId == organizationId && g.ManagedBy == source && g.ExternalId != null)
            .Select(g => new ManagedGroup(g.Id, g.ExternalId!, g.DisplayName, g.DistinguishedName, g.DeletedAt != null))
            .ToListAsync(ct);
        var members = await (
                from m in db.GroupMembers.AsNoTracking()
                join g in db.Groups on m.GroupId equals g.Id
                where g.OrganizationId == organizationId && g.ManagedBy == source && g.ExternalId != null
                select new { m.GroupId, m.MemberId, m.MemberType })
            .ToListAsync(ct);

        var otherNames = new Dictionary<string, string>(others.Count, StringComparer.Ordinal);
        foreach (var other in others)
        {
            otherNames.TryAdd(other.NormalizedUserName, other.ManagedBy);
        }
        return new ReconcileState
        {
            Users = [.. users.Select(u => new ManagedUser(u.Id, u.SourceKey!, u.ToProfile(), u.DeactivatedBy, u.DeletedAt != null))],
            Groups = groups,
            Members = [.. members.Select(m => new ManagedMember(m.GroupId, m.MemberId, m.MemberType == GroupMemberType.Group))],
            OtherUserNames = otherNames,
        };
    }
}

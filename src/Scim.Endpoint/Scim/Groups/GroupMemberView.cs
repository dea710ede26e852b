using Microsoft.EntityFrameworkCore;
using ScimBridge.Model.Groups;
using ScimBridge.Model.Persistence;

namespace ScimBridge.Scim.Groups;

/// <summary>A member as a SCIM Group shows it: id, kind and display name.</summary>
public sealed record GroupMemberView(Guid MemberId, GroupMemberType Type, string Display)
{
    /// <summary>Members of a page of groups in two queries (user members, group members); deleted members are left out.</summary>
    public static async Task<Dictionary<Guid, List<GroupMemberView>>> LoadAsync(
        ScimBridgeDbContext db, Guid organizationId, IReadOnlyCollection<Guid> groupIds, CancellationToken ct)
    {
        var result = groupIds.ToDictionary(id => id, _ => new List<GroupMemberView>());
        if (groupIds.Count == 0)
        {
            return result;
        }

        var ids = groupIds.ToList();
        var users = await (
            from m in db.MemberEdges
            where ids.Contains(m.GroupId) && m.MemberType == GroupMemberType.User
            join u in db.Users.AsNoTracking().IgnoreAutoIncludes().LiveIn(organizationId) on m.MemberId equals u.Id
            orderby m.AddedAt
            select new { m.GroupId, m.MemberId, Display = u.DisplayName ?? u.UserName })
            .ToListAsync(ct);
        foreach (var row in users)
        {
            result[row.GroupId].Add(new GroupMemberView(row.MemberId, GroupMemberType.User, row.Display));
        }

        var groups = await (
            from m in db.MemberEdges
            where ids.Contains(m.GroupId) && m.MemberType == GroupMemberType.Group
            join g in db.Groups.AsNoTracking().LiveIn(organizationId) on m.MemberId equals g.Id
            orderby m.AddedAt
            select new { m.GroupId, m.MemberId, Display = g.DisplayName })
            .ToListAsync(ct);
        foreach (var row in groups)
        {
            result[row.GroupId].Add(new GroupMemberView(row.MemberId, GroupMemberType.Group, row.Display));
        }

        return result;
    }
}

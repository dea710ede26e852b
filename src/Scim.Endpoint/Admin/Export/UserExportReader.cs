using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using ScimBridge.Model.Persistence;
using ScimBridge.Scim.Admin.Users;

namespace ScimBridge.Scim.Admin.Export;

/// <summary>
/// Reads the users of a users-page filter in pages, by userName after the last one read (a keyset, so the thousandth
/// page costs what the first does), each page with its teams: an export of 100,000 users never holds more than a page.
/// </summary>
public sealed class UserExportReader(ScimBridgeDbContext db, UserSearch search)
{
    public const int PageSize = 1000;

    public async Task<int> CountAsync(Guid organizationId, UserQuery query, CancellationToken ct) =>
        await search.Filter(organizationId, query, await search.IsBroadAsync(organizationId, query.Text, ct)).CountAsync(ct);

    public async IAsyncEnumerable<IReadOnlyList<UserExportRow>> PagesAsync(
        Guid organizationId, UserQuery query, [EnumeratorCancellation] CancellationToken ct)
    {
        string? after = null;
        var broad = await search.IsBroadAsync(organizationId, query.Text, ct);
        while (true)
        {
            var users = search.Filter(organizationId, query, broad);
            if (after is not null)
            {
                users = users.Where(u => string.Compare(u.NormalizedUserName, after) > 0);
            }

            var page = await users.OrderBy(u => u.NormalizedUserName).Take(PageSize)
                .Select(u => new
                {
                    u.NormalizedUserName,
                    Row = new UserExportRow(u.Id, u.UserName, u.GivenName, u.FamilyName, u.DisplayName,
                        u.Emails.OrderByDescending(e => e.Primary).ThenBy(e => e.Id).Select(e => e.Value).FirstOrDefault(),
                        u.Status, u.ManagedBy, u.ExternalId, u.OrganizationRole, u.PhoneExtension, u.CreatedAt),
                })
                .ToListAsync(ct);
            if (page.Count == 0)
            {
                yield break;
            }

            var rows = page.Select(p => p.Row).ToList();
            await AddTeamsAsync(organizationId, rows, ct);
            yield return rows;
            if (page.Count < PageSize)
            {
                yield break;
            }

            after = page[^1].NormalizedUserName;
        }
    }

    private async Task AddTeamsAsync(Guid organizationId, List<UserExportRow> rows, CancellationToken ct)
    {
        var ids = rows.Select(r => r.Id).ToList();
        var memberships = await db.TeamMemberships.AsNoTracking()
            .Where(m => m.OrganizationId == organizationId && ids.Contains(m.UserId) && m.RemovedAt == null)
            .Join(db.Teams.Where(t => t.DeletedAt == null), m => m.TeamId, t => t.Id, (m, t) => new { m.UserId, m.TeamId, t.Name, m.Role })
            .ToListAsync(ct);
        var byUser = memberships.ToLookup(m => m.UserId);
        foreach (var row in rows)
        {
            row.Teams = [.. byUser[row.Id].GroupBy(m => m.TeamId)
                .Select(g => (g.First().Name, g.Max(m => m.Role)))
                .OrderBy(t => t.Name, StringComparer.OrdinalIgnoreCase)];
        }
    }
}

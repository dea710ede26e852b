using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using ScimBridge.Model.Reconcile;

namespace ScimBridge.Sync.Sources.Entra;

/// <summary>
/// Reads every user and group in scope, with each group's direct members (users and nested groups), following
/// <c>@odata.nextLink</c> to the last page. Any failed page fails the whole read.
/// </summary>
internal sealed class EntraFullRead(GraphServiceClient client, EntraSourceSettings settings, ILogger logger)
{
    /// <summary>Member lists read at the same time; modest, to stay well inside Graph's throttling budget.</summary>
    private const int MemberReadParallelism = 4;

    private static readonly string[] GroupSelect = ["id", "displayName"];
    private static readonly string[] MemberSelect = ["id"];

    public async Task<(IReadOnlyList<SourceUser> Users, IReadOnlyList<SourceGroup> Groups)> ReadAsync(CancellationToken ct)
    {
        var users = await ReadUsersAsync(ct);
        var groups = await ReadGroupsAsync(ct);
        var withMembers = await ReadMembersAsync(groups, ct);
        return (users, withMembers);
    }

    private async Task<List<SourceUser>> ReadUsersAsync(CancellationToken ct)
    {
        var users = new Dictionary<string, SourceUser>(StringComparer.OrdinalIgnoreCase);
        var pages = new GraphPaging("users", logger);
        var page = await pages.FetchAsync(null, () => client.Users.GetAsync(request =>
        {
            request.QueryParameters.Select = EntraUserMapping.SelectedProperties;
            request.QueryParameters.Top = settings.PageSize;
            if (!string.IsNullOrWhiteSpace(settings.UserFilter))
            {
                // Most user filters are "advanced queries" in Graph and need eventual consistency with $count.
                request.QueryParameters.Filter = settings.UserFilter;
                request.QueryParameters.Count = true;
                request.Headers.Add("ConsistencyLevel", "eventual");
            }
        }, ct), ct);

        while (true)
        {
            pages.Received(page);
            foreach (var user in page!.Value ?? [])
            {
                var mapped = EntraUserMapping.ToSourceUser(user);
                users[mapped.Key] = mapped;
            }
            if (pages.Next(page.OdataNextLink) is not { } next)
            {
                break;
            }
            page = await pages.FetchAsync(next, () => client.Users.WithUrl(next).GetAsync(cancellationToken: ct), ct);
        }
        logger.LogDebug("Entra source {Source}: read {UserCount} users in {PageCount} pages", settings.Name, users.Count, pages.Count);
        return [.. users.Values];
    }

    private async Task<List<(string Id, string DisplayName)>> ReadGroupsAsync(CancellationToken ct)
    {
        if (settings.GroupIds.Count > 0)
        {
            return await ReadConfiguredGroupsAsync(ct);
        }

        var groups = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var pages = new GraphPaging("groups", logger);
        var page = await pages.FetchAsync(null, () => client.Groups.GetAsync(request =>
        {
            request.QueryParameters.Select = GroupSelect;
            request.QueryParameters.Top = settings.PageSize;
            if (!string.IsNullOrWhiteSpace(settings.GroupFilter))
            {
                request.QueryParameters.Filter = settings.GroupFilter;
                request.QueryParameters.Count = true;
                request.Headers.Add("ConsistencyLevel", "eventual");
            }
        }, ct), ct);

        while (true)
        {
            pages.Received(page);
            foreach (var group in page!.Value ?? [])
            {
                if (string.IsNullOrEmpty(group.Id))
                {
                    throw new DirectoryReadException("Graph returned a group without an id.");
                }
                groups[group.Id] = group.DisplayName ?? "";
            }
            if (pages.Next(page.OdataNextLink) is not { } next)
            {
                break;
            }
            page = await pages.FetchAsync(next, () => client.Groups.WithUrl(next).GetAsync(cancellationToken: ct), ct);
        }
        return [.. groups.Select(g => (g.Key, g.Value))];
    }

    private async Task<List<(string Id, string DisplayName)>> ReadConfiguredGroupsAsync(CancellationToken ct)
    {
        var groups = new List<(string, string)>();
        foreach (var id in settings.GroupIds.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            try
            {
                var group = await client.Groups[id].GetAsync(request => request.QueryParameters.Select = GroupSelect, ct)
                    ?? throw new DirectoryReadException($"Graph returned no body for group {id}.");
                groups.Add((id, group.DisplayName ?? ""));
            }
            catch (ODataError error) when (error.ResponseStatusCode == 404)
            {
                // A definite answer: the group is gone, so nobody is a member of it any more.
                logger.LogWarning("Entra source {Source}: configured group {GroupId} does not exist; it is left out of the read",
                    settings.Name, id);
            }
        }
        return groups;
    }

    private async Task<List<SourceGroup>> ReadMembersAsync(List<(string Id, string DisplayName)> groups, CancellationToken ct)
    {
        var results = new ConcurrentDictionary<string, SourceGroup>(StringComparer.OrdinalIgnoreCase);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = MemberReadParallelism, CancellationToken = ct };
        await Parallel.ForEachAsync(groups, parallel, async (group, token) =>
        {
            results[group.Id] = await ReadGroupMembersAsync(group.Id, group.DisplayName, token);
        });
        // Keep Graph's group order so repeated reads produce the same snapshot.
        return [.. groups.Select(g => results[g.Id])];
    }

    private async Task<SourceGroup> ReadGroupMembersAsync(string groupId, string displayName, CancellationToken ct)
    {
        var userKeys = new List<string>();
        var groupKeys = new List<string>();
        var pages = new GraphPaging($"members of group {displayName} ({groupId})", logger);
        var page = await pages.FetchAsync(null, () => client.Groups[groupId].Members.GetAsync(request =>
        {
            request.QueryParameters.Select = MemberSelect;
            request.QueryParameters.Top = settings.PageSize;
        }, ct), ct);

        while (true)
        {
            pages.Received(page);
            foreach (var member in page!.Value ?? [])
            {
                if (string.IsNullOrEmpty(member.Id))
                {
                    continue;
                }
                var kind = member switch
                {
                    User => EntraMemberKind.User,
                    Group => EntraMemberKind.Group,
                    _ => EntraDeltaAnnotations.KindOf(member.OdataType),
                };
                if (kind == EntraMemberKind.User)
                {
                    userKeys.Add(member.Id);
                }
                else if (kind == EntraMemberKind.Group)
                {
                    groupKeys.Add(member.Id);
                }
            }
            if (pages.Next(page.OdataNextLink) is not { } next)
            {
                break;
            }
            page = await pages.FetchAsync(next, () => client.Groups[groupId].Members.WithUrl(next).GetAsync(cancellationToken: ct), ct);
        }
        return new SourceGroup(groupId, displayName)
        {
            MembersAreComplete = true,
            MemberUserKeys = [.. userKeys.Distinct(StringComparer.OrdinalIgnoreCase)],
            MemberGroupKeys = [.. groupKeys.Distinct(StringComparer.OrdinalIgnoreCase)],
        };
    }
}

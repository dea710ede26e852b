using Microsoft.Extensions.Logging;
using Microsoft.Graph;
using ScimBridge.Model.Reconcile;

namespace ScimBridge.Sync.Sources.Entra;

/// <summary>
/// Graph delta queries for users and groups: starting fresh links (<c>$deltatoken=latest</c>) and following stored
/// links to the next <c>@odata.deltaLink</c>. The result is the changes only; nothing here reads the full directory.
/// </summary>
internal sealed class EntraDeltaRead(GraphServiceClient client, EntraSourceSettings settings, ILogger logger)
{
    /// <summary>Group properties tracked by delta; "members" makes Graph report <c>members@delta</c>.</summary>
    private static readonly string[] GroupSelect = ["displayName", "members"];

    /// <summary>
    /// Asks Graph for delta links that start now, without reading any objects. Taken before a full read, so changes made
    /// while the full read runs are replayed by the next delta run (replaying a change is harmless).
    /// </summary>
    /// <summary>Fingerprint stored with the links; a stored state with another one is not continued.</summary>
    public string Scope => EntraDeltaState.ScopeOf(settings, EntraUserMapping.SelectedProperties, GroupSelect);

    public async Task<EntraDeltaState> StartAsync(CancellationToken ct)
    {
        var usersUrl = WithLatestToken(client.Users.Delta.ToGetRequestInformation(request =>
            request.QueryParameters.Select = EntraUserMapping.SelectedProperties).URI);
        var groupsUrl = WithLatestToken(client.Groups.Delta.ToGetRequestInformation(request =>
            request.QueryParameters.Select = GroupSelect).URI);

        var (_, _, usersLink) = await ReadUsersAsync(usersUrl, ct);
        var groupsLink = (await ReadGroupsAsync(groupsUrl, ct)).DeltaLink;
        return new EntraDeltaState(usersLink, groupsLink, Scope);
    }

    /// <summary>Follows both stored links to their ends. When Graph rejects a link (e.g. 410) the SDK's exception is the inner one.</summary>
    public async Task<DirectorySnapshot> ReadChangesAsync(EntraDeltaState state, CancellationToken ct)
    {
        var (users, removedUsers, usersLink) = await ReadUsersAsync(state.UsersDeltaLink, ct);
        var (groups, groupsLink) = await ReadGroupsAsync(state.GroupsDeltaLink, ct);
        return new DirectorySnapshot
        {
            IsFull = false,
            Users = users,
            RemovedUserKeys = removedUsers,
            Groups = groups.ChangedGroups(),
            RemovedGroupKeys = groups.RemovedGroupKeys,
            NextDeltaState = (state with { UsersDeltaLink = usersLink, GroupsDeltaLink = groupsLink }).Serialize(),
        };
    }

    private async Task<(List<SourceUser> Changed, List<string> Removed, string DeltaLink)> ReadUsersAsync(string url, CancellationToken ct)
    {
        // Last entry per id wins: a user changed and then deleted in the same window ends up removed, and vice versa.
        var changed = new Dictionary<string, SourceUser>(StringComparer.OrdinalIgnoreCase);
        var removed = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var pages = new GraphPaging("users delta", logger);
        string? link = url;
        while (true)
        {
            var page = await pages.FetchAsync(link, () => client.Users.Delta.WithUrl(link).GetAsDeltaGetResponseAsync(cancellationToken: ct), ct);
            pages.Received(page);
            foreach (var user in page!.Value ?? [])
            {
                if (string.IsNullOrEmpty(user.Id))
                {
                    throw new DirectoryReadException("Graph returned a user delta entry without an id.");
                }
                if (EntraDeltaAnnotations.IsRemoved(user.AdditionalData, out var reason))
                {
                    changed.Remove(user.Id);
                    removed[user.Id] = reason;
                }
                else
                {
                    removed.Remove(user.Id);
                    changed[user.Id] = EntraUserMapping.ToSourceUser(user);
                }
            }
            if (pages.Next(page.OdataNextLink) is { } next)
            {
                link = next;
                continue;
            }
            var deltaLink = DeltaLinkOf(page.OdataDeltaLink, "users");
            LogRemovals(removed);
            return ([.. changed.Values], [.. removed.Keys], deltaLink);
        }
    }

    private async Task<(GroupDeltaAccumulator Groups, string DeltaLink)> ReadGroupsAsync(string url, CancellationToken ct)
    {
        var scope = settings.GroupIds.Count > 0 ? new HashSet<string>(settings.GroupIds, StringComparer.OrdinalIgnoreCase) : null;
        var groups = new GroupDeltaAccumulator();
        var pages = new GraphPaging("groups delta", logger);
        string? link = url;
        while (true)
        {
            var page = await pages.FetchAsync(link, () => client.Groups.Delta.WithUrl(link).GetAsDeltaGetResponseAsync(cancellationToken: ct), ct);
            pages.Received(page);
            foreach (var group in page!.Value ?? [])
            {
                if (string.IsNullOrEmpty(group.Id))
                {
                    throw new DirectoryReadException("Graph returned a group delta entry without an id.");
                }
                if (scope is not null && !scope.Contains(group.Id))
                {
                    continue;
                }
                if (EntraDeltaAnnotations.IsRemoved(group.AdditionalData, out _))
                {
                    groups.AddRemovedGroup(group.Id);
                }
                else
                {
                    groups.AddChangedGroup(group.Id, group.DisplayName, EntraDeltaAnnotations.MemberChanges(group.Id, group.AdditionalData));
                }
            }
            if (pages.Next(page.OdataNextLink) is { } next)
            {
                link = next;
                continue;
            }
            return (groups, DeltaLinkOf(page.OdataDeltaLink, "groups"));
        }
    }

    private void LogRemovals(Dictionary<string, string?> removed)
    {
        foreach (var (id, reason) in removed)
        {
            // "changed": soft-deleted (restorable for 30 days); "deleted": permanently deleted. Both leave scope.
            logger.LogDebug("Entra source {Source}: user {UserKey} removed ({RemovedReason})", settings.Name, id, reason ?? "unknown");
        }
    }

    private static string DeltaLinkOf(string? deltaLink, string what) =>
        string.IsNullOrEmpty(deltaLink)
            ? throw new DirectoryReadException($"Graph ended the {what} delta without an @odata.deltaLink.")
            : deltaLink;

    private static string WithLatestToken(Uri uri) =>
        uri.AbsoluteUri + (string.IsNullOrEmpty(uri.Query) ? "?" : "&") + "$deltatoken=latest";
}

using ScimBridge.Model.Reconcile;

namespace ScimBridge.Sync.Tests.Entra;

public sealed class EntraDeltaReadTests : IDisposable
{
    private readonly GraphStub _graph = new();

    public void Dispose() => _graph.Dispose();

    [Fact]
    public async Task Delta_run_returns_changed_and_removed_users_and_member_changes()
    {
        var state = await _graph.FirstRunStateAsync();
        _graph.Get("/users/delta*", GraphJson.DeltaPage(_graph.GraphRoot, "users",
            [GraphJson.User("u-1", "adele@contoso.com", "Adele", "Vance-Smith"), GraphJson.RemovedUser("u-2", "changed")],
            skipToken: "users-p2"), ("$deltatoken", "users-token-1"));
        _graph.Get("/users/delta*", GraphJson.DeltaPage(_graph.GraphRoot, "users",
            [GraphJson.RemovedUser("u-3", "deleted")], deltaToken: "users-token-2"), ("$skiptoken", "users-p2"));
        // A large group repeats across pages, each page carrying part of its members@delta.
        _graph.Get("/groups/delta*", GraphJson.DeltaPage(_graph.GraphRoot, "groups",
            [GraphJson.DeltaGroup("g-sales", "Sales", addedUsers: ["u-1", "u-4"], removedUsers: ["u-5"]),
             GraphJson.DeltaGroup("g-support", "Support", addedUsers: [], addedGroups: ["g-sales"])],
            skipToken: "groups-p2"), ("$deltatoken", "groups-token-1"));
        _graph.Get("/groups/delta*", GraphJson.DeltaPage(_graph.GraphRoot, "groups",
            [GraphJson.DeltaGroup("g-sales", "Sales", addedUsers: ["u-6"], removedUsers: ["u-7"]), GraphJson.RemovedGroupEntry("g-old")],
            deltaToken: "groups-token-2"), ("$skiptoken", "groups-p2"));
        var fullReadsBefore = _graph.RequestsTo("/users").Count;
        using var source = _graph.CreateSource();

        var snapshot = await source.ReadAsync(state, CancellationToken.None);

        Assert.False(snapshot.IsFull);
        var changed = Assert.Single(snapshot.Users);
        Assert.Equal("u-1", changed.Key);
        Assert.Equal("Vance-Smith", changed.Profile.Name.FamilyName);
        Assert.Equal(["u-2", "u-3"], snapshot.RemovedUserKeys);

        Assert.Equal(["g-sales", "g-support"], snapshot.Groups.Select(g => g.Key));
        var sales = snapshot.Groups[0];
        Assert.False(sales.MembersAreComplete);
        Assert.Equal(["u-1", "u-4", "u-6"], sales.AddedMemberKeys);
        Assert.Equal(["u-5", "u-7"], sales.RemovedMemberKeys);
        Assert.Equal(["g-sales"], snapshot.Groups[1].AddedMemberKeys);
        Assert.Equal(["g-old"], snapshot.RemovedGroupKeys);

        Assert.Contains("users-token-2", snapshot.NextDeltaState);
        Assert.Contains("groups-token-2", snapshot.NextDeltaState);
        // A delta run reads no full collection.
        Assert.Equal(fullReadsBefore, _graph.RequestsTo("/users").Count);
    }

    [Fact]
    public async Task Expired_delta_token_answered_with_410_falls_back_to_a_full_read()
    {
        var state = await _graph.FirstRunStateAsync();
        _graph.GetFails("/users/delta*", 410, "syncStateNotFound", "The sync state generation is unavailable.", ("$deltatoken", "users-token-1"));
        _graph.Get("/users", GraphJson.Page(_graph.GraphRoot, "users", [GraphJson.User("u-1", "adele@contoso.com")]));
        var fullReadsBefore = _graph.RequestsTo("/users").Count;
        using var source = _graph.CreateSource();

        var snapshot = await source.ReadAsync(state, CancellationToken.None);

        Assert.True(snapshot.IsFull);
        Assert.Equal("u-1", Assert.Single(snapshot.Users).Key);
        Assert.Equal(fullReadsBefore + 1, _graph.RequestsTo("/users").Count);
        Assert.NotNull(snapshot.NextDeltaState);
        Assert.Contains("users-token-1", snapshot.NextDeltaState);
    }

    [Fact]
    public async Task Resync_required_error_code_falls_back_to_a_full_read()
    {
        var state = await _graph.FirstRunStateAsync();
        _graph.Get("/users/delta*", GraphJson.DeltaPage(_graph.GraphRoot, "users", [], deltaToken: "users-token-2"), ("$deltatoken", "users-token-1"));
        _graph.GetFails("/groups/delta*", 400, "resyncRequired", "Resync is required.", ("$deltatoken", "groups-token-1"));
        using var source = _graph.CreateSource();

        var snapshot = await source.ReadAsync(state, CancellationToken.None);

        Assert.True(snapshot.IsFull);
    }

    [Fact]
    public async Task Unreadable_delta_state_leads_to_a_full_read()
    {
        _graph.StubLatestDeltaLinks();
        _graph.Get("/users", GraphJson.Page(_graph.GraphRoot, "users", [GraphJson.User("u-1", "adele@contoso.com")]));
        _graph.Get("/groups", GraphJson.Page(_graph.GraphRoot, "groups", []));
        using var source = _graph.CreateSource();

        var snapshot = await source.ReadAsync("{\"v\":1,\"users\":\"https://elsewhere.example/v1.0/users/delta()?$deltatoken=x\",\"groups\":\"x\"}", CancellationToken.None);

        Assert.True(snapshot.IsFull);
        Assert.DoesNotContain(_graph.Server.LogEntries, e => e.RequestMessage.Url.Contains("elsewhere", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Delta_state_taken_for_other_group_ids_leads_to_a_full_read()
    {
        var state = await _graph.FirstRunStateAsync();
        const string Support = "6b1d6e8c-1111-4d3a-9f55-0c3b2a1d0e01";
        _graph.Get($"/groups/{Support}", GraphJson.Group(Support, "Support"));
        _graph.Get($"/groups/{Support}/members", GraphJson.Page(_graph.GraphRoot, "directoryObjects", [GraphJson.DirectoryObject("user", "u-1")]));
        using var source = _graph.CreateSource(s => s.GroupIds = [Support]);

        var snapshot = await source.ReadAsync(state, CancellationToken.None);

        Assert.True(snapshot.IsFull);
        Assert.Equal(["u-1"], Assert.Single(snapshot.Groups).MemberUserKeys);
        Assert.DoesNotContain(_graph.RequestsTo("/users/delta*"),
            e => e.RequestMessage.Query!.TryGetValue("$deltatoken", out var token) && token[0] == "users-token-1");
    }

    [Fact]
    public async Task Delta_groups_outside_the_configured_group_ids_are_left_out()
    {
        const string Support = "6b1d6e8c-1111-4d3a-9f55-0c3b2a1d0e01";
        _graph.StubLatestDeltaLinks();
        _graph.Get("/users", GraphJson.Page(_graph.GraphRoot, "users", []));
        _graph.Get($"/groups/{Support}", GraphJson.Group(Support, "Support"));
        _graph.Get($"/groups/{Support}/members", GraphJson.Page(_graph.GraphRoot, "directoryObjects", []));
        using var source = _graph.CreateSource(s => s.GroupIds = [Support]);
        var state = (await source.ReadAsync(null, CancellationToken.None)).NextDeltaState;
        _graph.Get("/users/delta*", GraphJson.DeltaPage(_graph.GraphRoot, "users", [], deltaToken: "users-token-2"), ("$deltatoken", "users-token-1"));
        _graph.Get("/groups/delta*", GraphJson.DeltaPage(_graph.GraphRoot, "groups",
            [GraphJson.DeltaGroup(Support, "Support", ["u-1"]), GraphJson.DeltaGroup("g-other", "Other", ["u-2"])],
            deltaToken: "groups-token-2"), ("$deltatoken", "groups-token-1"));

        var snapshot = await source.ReadAsync(state, CancellationToken.None);

        var group = Assert.Single(snapshot.Groups);
        Assert.Equal(Support, group.Key);
        Assert.Equal(["u-1"], group.AddedMemberKeys);
    }
}

using System.Net;
using ScimBridge.Scim.Tests.Infrastructure;

namespace ScimBridge.Scim.Tests.Replays;

/// <summary>The request sequence Okta sends for user and group push, replayed from recorded payloads.</summary>
public abstract class OktaReplayTests<TFactory>(TFactory factory) : IClassFixture<TFactory>
    where TFactory : ScimBridgeFactory
{
    private async Task<ScimApi> ApiAsync() => new(await factory.CreateOrganizationClientAsync("okta-" + Guid.NewGuid().ToString("N")[..8]));

    [Fact]
    public async Task User_push_lookup_create_replace_deactivate()
    {
        var api = await ApiAsync();
        var lookup = "/Users?filter=" + Uri.EscapeDataString("userName eq \"test.user@okta.local\"") + "&startIndex=1&count=100";

        var before = await api.ExpectAsync(HttpStatusCode.OK, api.GetAsync(lookup));
        Assert.Equal(0, (int)before["totalResults"]!);

        var created = await api.ExpectAsync(HttpStatusCode.Created,
            api.PostAsync("/Users", Payload.Load("okta/create-user.json", ("userName", "test.user@okta.local"), ("externalId", "00ujl29u0le5T6Aj10h7"))));
        Assert.Null(created["password"]);
        Assert.DoesNotContain("1mz050nq", created.ToJsonString(), StringComparison.Ordinal);
        var id = ScimApi.Id(created);

        var after = await api.ExpectAsync(HttpStatusCode.OK, api.GetAsync(lookup));
        Assert.Equal(1, (int)after["totalResults"]!);
        Assert.Equal(1, (int)after["startIndex"]!);
        Assert.Equal(id, (string?)after["Resources"]![0]!["id"]);

        var replaced = await api.ExpectAsync(HttpStatusCode.OK,
            api.PutAsync($"/Users/{id}", Payload.Load("okta/put-user.json", ("id", id), ("userName", "test.user@okta.local"), ("externalId", "00ujl29u0le5T6Aj10h7"))));
        Assert.Equal("Another", (string?)replaced["name"]!["givenName"]);
        Assert.Equal("Another User", (string?)replaced["displayName"]);

        var deactivated = await api.ExpectAsync(HttpStatusCode.OK, api.PatchAsync($"/Users/{id}", Payload.Load("okta/patch-user-deactivate.json")));
        Assert.False((bool)deactivated["active"]!);
        Assert.Equal("deactivated", (string?)deactivated["urn:ietf:params:scim:schemas:extension:scimbridge:2.0:User"]!["state"]);
    }

    [Fact]
    public async Task Group_push_create_rename_and_swap_members_in_one_request()
    {
        var api = await ApiAsync();
        var first = ScimApi.Id(await api.CreateUserAsync("first@okta.local"));
        var second = ScimApi.Id(await api.CreateUserAsync("second@okta.local"));
        var third = ScimApi.Id(await api.CreateUserAsync("third@okta.local"));
        var created = await api.ExpectAsync(HttpStatusCode.Created,
            api.PostAsync("/Groups", Payload.Load("okta/create-group.json", ("displayName", "Test SCIMv2"), ("memberId", first))));
        var id = ScimApi.Id(created);
        await api.ExpectAsync(HttpStatusCode.NoContent, api.PatchAsync($"/Groups/{id}",
            Payload.Load("okta/patch-group-members.json", ("removeId", Guid.NewGuid().ToString()), ("addId", third))));

        await api.ExpectAsync(HttpStatusCode.NoContent, api.PatchAsync($"/Groups/{id}",
            Payload.Load("okta/patch-group-rename.json", ("id", id), ("displayName", "Renamed SCIMv2"))));
        await api.ExpectAsync(HttpStatusCode.NoContent, api.PatchAsync($"/Groups/{id}",
            Payload.Load("okta/patch-group-members.json", ("removeId", first), ("addId", second))));

        var group = await api.ExpectAsync(HttpStatusCode.OK, api.GetAsync($"/Groups/{id}"));
        Assert.Equal("Renamed SCIMv2", (string?)group["displayName"]);
        var members = group["members"]!.AsArray().Select(m => (string)m!["value"]!).Order().ToList();
        Assert.Equal(new[] { second, third }.Order().ToList(), members);
    }
}

public sealed class OktaReplayTestsOnSqlite(ScimBridgeFactory factory) : OktaReplayTests<ScimBridgeFactory>(factory);

public sealed class OktaReplayTestsOnPostgres(PostgresScimBridgeFactory factory) : OktaReplayTests<PostgresScimBridgeFactory>(factory);

using System.Net;
using System.Text.Json.Nodes;
using ScimBridge.Scim.Tests.Infrastructure;

namespace ScimBridge.Scim.Tests.Resources;

public abstract class ListTests<TFactory>(TFactory factory) : IClassFixture<TFactory>
    where TFactory : ScimBridgeFactory
{
    private async Task<ScimApi> ApiWithUsersAsync(params string[] userNames)
    {
        var api = new ScimApi(await factory.CreateOrganizationClientAsync("list-" + Guid.NewGuid().ToString("N")[..8]));
        foreach (var userName in userNames)
        {
            await api.CreateUserAsync(userName);
        }

        return api;
    }

    private static List<string?> UserNames(JsonObject list) => [.. list["Resources"]!.AsArray().Select(r => (string?)r!["userName"])];

    [Fact]
    public async Task Pages_follow_startIndex_and_count_with_the_full_total()
    {
        var api = await ApiWithUsersAsync("u1@x.org", "u2@x.org", "u3@x.org", "u4@x.org", "u5@x.org");

        var page = await api.ExpectAsync(HttpStatusCode.OK, api.GetAsync("/Users?startIndex=2&count=2"));
        var last = await api.ExpectAsync(HttpStatusCode.OK, api.GetAsync("/Users?startIndex=5&count=2"));
        var beyond = await api.ExpectAsync(HttpStatusCode.OK, api.GetAsync("/Users?startIndex=9&count=2"));

        Assert.Equal(5, (int)page["totalResults"]!);
        Assert.Equal(2, (int)page["startIndex"]!);
        Assert.Equal(2, (int)page["itemsPerPage"]!);
        Assert.Equal(["u2@x.org", "u3@x.org"], UserNames(page));
        Assert.Equal(["u5@x.org"], UserNames(last));
        Assert.Equal(5, (int)last["totalResults"]!);
        Assert.Empty(UserNames(beyond));
        Assert.Equal(5, (int)beyond["totalResults"]!);
    }

    [Fact]
    public async Task Count_zero_returns_only_the_total_and_startIndex_below_one_means_one()
    {
        var api = await ApiWithUsersAsync("c1@x.org", "c2@x.org");

        var counted = await api.ExpectAsync(HttpStatusCode.OK, api.GetAsync("/Users?count=0"));
        var fromZero = await api.ExpectAsync(HttpStatusCode.OK, api.GetAsync("/Users?startIndex=0&count=1"));

        Assert.Equal(2, (int)counted["totalResults"]!);
        Assert.Empty(counted["Resources"]!.AsArray());
        Assert.Equal(1, (int)fromZero["startIndex"]!);
        Assert.Equal(["c1@x.org"], UserNames(fromZero));
    }

    [Fact]
    public async Task Sorting_by_userName_descending()
    {
        var api = await ApiWithUsersAsync("b@x.org", "c@x.org", "a@x.org");

        var sorted = await api.ExpectAsync(HttpStatusCode.OK, api.GetAsync("/Users?sortBy=userName&sortOrder=descending"));

        Assert.Equal(["c@x.org", "b@x.org", "a@x.org"], UserNames(sorted));
    }

    [Fact]
    public async Task Attributes_and_excludedAttributes_shape_the_resources()
    {
        var api = await ApiWithUsersAsync("shape@x.org");

        var only = await api.ExpectAsync(HttpStatusCode.OK, api.GetAsync("/Users?attributes=userName,name.givenName"));
        var without = await api.ExpectAsync(HttpStatusCode.OK, api.GetAsync("/Users?excludedAttributes=emails,name"));

        var user = only["Resources"]![0]!.AsObject();
        Assert.Equal(["schemas", "id", "userName", "name"], user.Select(p => p.Key));
        Assert.Equal(["givenName"], user["name"]!.AsObject().Select(p => p.Key));
        var trimmed = without["Resources"]![0]!.AsObject();
        Assert.Null(trimmed["emails"]);
        Assert.Null(trimmed["name"]);
        Assert.NotNull(trimmed["userName"]);
        Assert.NotNull(trimmed["meta"]);
    }

    [Fact]
    public async Task Filter_that_matches_nothing_returns_an_empty_list_and_a_bad_filter_gets_invalidFilter()
    {
        var api = await ApiWithUsersAsync("f@x.org");

        var none = await api.ExpectAsync(HttpStatusCode.OK, api.GetAsync("/Users?filter=" + Uri.EscapeDataString("userName eq \"nobody\"")));

        Assert.Equal(0, (int)none["totalResults"]!);
        Assert.Empty(none["Resources"]!.AsArray());
        await api.ExpectErrorAsync(HttpStatusCode.BadRequest, "invalidFilter", api.GetAsync("/Users?filter=" + Uri.EscapeDataString("userName eq")));
    }

    [Fact]
    public async Task Search_endpoints_take_the_query_in_the_body()
    {
        var api = await ApiWithUsersAsync("s1@x.org", "s2@x.org");
        await api.CreateGroupAsync("Searchers");
        const string body = """
            {"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],"filter":"userName sw \"s\"","startIndex":1,"count":1,"attributes":["userName"]}
            """;

        var users = await api.ExpectAsync(HttpStatusCode.OK, api.PostAsync("/Users/.search", body));
        var all = await api.ExpectAsync(HttpStatusCode.OK, api.PostAsync("/.search", """{"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],"startIndex":2,"count":5}"""));

        Assert.Equal(2, (int)users["totalResults"]!);
        Assert.Equal(["s1@x.org"], UserNames(users));
        Assert.Equal(3, (int)all["totalResults"]!);
        var resources = all["Resources"]!.AsArray();
        Assert.Equal(2, resources.Count);
        Assert.Equal("User", (string?)resources[0]!["meta"]!["resourceType"]);
        Assert.Equal("Group", (string?)resources[1]!["meta"]!["resourceType"]);
    }

    [Fact]
    public async Task Deactivated_users_stay_listed_as_inactive()
    {
        var api = await ApiWithUsersAsync("inactive@x.org");
        var list = await api.ExpectAsync(HttpStatusCode.OK, api.GetAsync("/Users"));
        var id = (string)list["Resources"]![0]!["id"]!;
        await api.ExpectAsync(HttpStatusCode.OK, api.PatchAsync($"/Users/{id}", """{"Operations":[{"op":"replace","value":{"active":false}}]}"""));

        var after = await api.ExpectAsync(HttpStatusCode.OK, api.GetAsync("/Users"));

        Assert.Equal(1, (int)after["totalResults"]!);
        Assert.False((bool)after["Resources"]![0]!["active"]!);
    }
}

public sealed class ListTestsOnSqlite(ScimBridgeFactory factory) : ListTests<ScimBridgeFactory>(factory);

public sealed class ListTestsOnPostgres(PostgresScimBridgeFactory factory) : ListTests<PostgresScimBridgeFactory>(factory);

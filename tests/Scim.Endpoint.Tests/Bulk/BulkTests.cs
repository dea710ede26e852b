using System.Net;
using System.Text.Json.Nodes;
using ScimBridge.Scim.Tests.Infrastructure;

namespace ScimBridge.Scim.Tests.Bulk;

public abstract class BulkTests<TFactory>(TFactory factory) : IClassFixture<TFactory>
    where TFactory : ScimBridgeFactory
{
    private async Task<ScimApi> ApiAsync() => new(await factory.CreateOrganizationClientAsync("bulk-" + Guid.NewGuid().ToString("N")[..8]));

    private static JsonObject CreateUser(string bulkId, string userName) => new()
    {
        ["method"] = "POST",
        ["path"] = "/Users",
        ["bulkId"] = bulkId,
        ["data"] = new JsonObject
        {
            ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:User"),
            ["userName"] = userName,
            ["displayName"] = "Display " + userName,
        },
    };

    private static JsonObject CreateGroup(string bulkId, string displayName, params string[] memberValues) => new()
    {
        ["method"] = "POST",
        ["path"] = "/Groups",
        ["bulkId"] = bulkId,
        ["data"] = new JsonObject
        {
            ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:Group"),
            ["displayName"] = displayName,
            ["members"] = new JsonArray([.. memberValues.Select(v => (JsonNode)new JsonObject { ["value"] = v })]),
        },
    };

    private static string Bulk(IEnumerable<JsonObject> operations, int? failOnErrors = null)
    {
        var request = new JsonObject
        {
            ["schemas"] = new JsonArray("urn:ietf:params:scim:api:messages:2.0:BulkRequest"),
            ["Operations"] = new JsonArray([.. operations]),
        };
        if (failOnErrors is { } limit)
        {
            request["failOnErrors"] = limit;
        }

        return request.ToJsonString();
    }

    private static List<JsonObject> Results(JsonObject response)
    {
        Assert.Equal("urn:ietf:params:scim:api:messages:2.0:BulkResponse", (string?)response["schemas"]![0]);
        return [.. response["Operations"]!.AsArray().Select(o => o!.AsObject())];
    }

    private static async Task<List<string>> MemberIdsAsync(ScimApi api, string groupId)
    {
        var group = await api.ExpectAsync(HttpStatusCode.OK, api.GetAsync($"/Groups/{groupId}"));
        return [.. (group["members"]?.AsArray() ?? []).Select(m => (string)m!["value"]!).Order(StringComparer.Ordinal)];
    }

    private static async Task<int> CountUsersAsync(ScimApi api, string userName)
    {
        var list = await api.ExpectAsync(HttpStatusCode.OK, api.GetAsync($"/Users?filter={Uri.EscapeDataString($"userName eq \"{userName}\"")}"));
        return (int)list["totalResults"]!;
    }

    private static void AssertError(JsonObject result, string status, string? scimType)
    {
        Assert.Equal(status, (string?)result["status"]);
        var error = result["response"]!.AsObject();
        Assert.Equal("urn:ietf:params:scim:api:messages:2.0:Error", (string?)error["schemas"]![0]);
        Assert.Equal(status, (string?)error["status"]);
        Assert.Equal(scimType, (string?)error["scimType"]);
        Assert.False(string.IsNullOrWhiteSpace((string?)error["detail"]));
    }

    [Fact]
    public async Task Bulk_creates_100_users_and_a_group_whose_members_are_those_users_by_bulkId()
    {
        var api = await ApiAsync();
        var users = Enumerable.Range(0, 100).Select(i => CreateUser($"u{i}", $"bulk{i}@x.org")).ToList();
        var group = CreateGroup("everyone", "Everyone", [.. Enumerable.Range(0, 100).Select(i => $"bulkId:u{i}")]);

        var response = await api.ExpectAsync(HttpStatusCode.OK, api.PostAsync("/Bulk", Bulk([.. users, group])));

        var results = Results(response);
        Assert.Equal(101, results.Count);
        Assert.All(results, r => Assert.Equal("201", (string?)r["status"]));
        Assert.All(results, r => Assert.Equal("POST", (string?)r["method"]));
        Assert.Equal([.. Enumerable.Range(0, 100).Select(i => $"u{i}"), "everyone"], results.Select(r => (string?)r["bulkId"]));
        var userIds = results.Take(100).Select(r => (string)r["response"]!["id"]!).ToList();
        Assert.All(results.Take(100).Zip(userIds), p => Assert.EndsWith($"/scim/v2/Users/{p.Second}", (string?)p.First["location"]));
        Assert.All(results, r => Assert.StartsWith("W/\"", (string?)r["version"]));
        var groupId = (string)results[100]["response"]!["id"]!;
        Assert.EndsWith($"/scim/v2/Groups/{groupId}", (string?)results[100]["location"]);
        Assert.Equal(userIds.Order(StringComparer.Ordinal), await MemberIdsAsync(api, groupId));
        var first = await api.ExpectAsync(HttpStatusCode.OK, api.GetAsync($"/Users/{userIds[0]}"));
        Assert.Equal("bulk0@x.org", (string?)first["userName"]);
        Assert.Equal("Everyone", (string?)first["groups"]![0]!["display"]);
    }

    [Fact]
    public async Task A_reference_to_a_later_POST_waits_for_it_and_bulkIds_resolve_in_PATCH_values_and_paths()
    {
        var api = await ApiAsync();
        var operations = new[]
        {
            CreateGroup("team", "Team", "bulkId:alice"),
            new JsonObject
            {
                ["method"] = "PATCH",
                ["path"] = "/Groups/bulkId:team",
                ["data"] = JsonNode.Parse("""
                    {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                     "Operations":[{"op":"add","path":"members","value":[{"value":"bulkId:bob"}]}]}
                    """),
            },
            CreateUser("alice", "alice@x.org"),
            CreateUser("bob", "bob@x.org"),
            new JsonObject { ["method"] = "DELETE", ["path"] = "/Users/bulkId:carol" },
            CreateUser("carol", "carol@x.org"),
        };

        var results = Results(await api.ExpectAsync(HttpStatusCode.OK, api.PostAsync("/Bulk", Bulk(operations))));

        Assert.Equal(["201", "204", "201", "201", "204", "201"], results.Select(r => (string?)r["status"]));
        var groupId = (string)results[0]["response"]!["id"]!;
        var alice = (string)results[2]["response"]!["id"]!;
        var bob = (string)results[3]["response"]!["id"]!;
        Assert.EndsWith($"/scim/v2/Groups/{groupId}", (string?)results[1]["location"]);
        Assert.Equal(new[] { alice, bob }.Order(StringComparer.Ordinal), await MemberIdsAsync(api, groupId));
        Assert.Equal(0, await CountUsersAsync(api, "carol@x.org"));
    }

    [Fact]
    public async Task FailOnErrors_1_stops_at_the_first_error_and_reports_only_what_ran()
    {
        var api = await ApiAsync();
        await api.CreateUserAsync("taken@x.org");
        var operations = new[] { CreateUser("a", "first@x.org"), CreateUser("b", "taken@x.org"), CreateUser("c", "never@x.org") };

        var results = Results(await api.ExpectAsync(HttpStatusCode.OK, api.PostAsync("/Bulk", Bulk(operations, failOnErrors: 1))));

        Assert.Equal(["a", "b"], results.Select(r => (string?)r["bulkId"]));
        Assert.Equal("201", (string?)results[0]["status"]);
        AssertError(results[1], "409", "uniqueness");
        Assert.Null(results[1]["location"]);
        Assert.Equal(1, await CountUsersAsync(api, "first@x.org"));
        Assert.Equal(0, await CountUsersAsync(api, "never@x.org"));
    }

    [Fact]
    public async Task FailOnErrors_2_runs_on_after_the_first_error_and_stops_at_the_second()
    {
        var api = await ApiAsync();
        var operations = new[]
        {
            CreateUser("a", "dup@x.org"), CreateUser("b", "dup@x.org"), CreateUser("c", "ok@x.org"),
            CreateUser("d", "DUP@x.org"), CreateUser("e", "late@x.org"),
        };

        var results = Results(await api.ExpectAsync(HttpStatusCode.OK, api.PostAsync("/Bulk", Bulk(operations, failOnErrors: 2))));

        Assert.Equal(["201", "409", "201", "409"], results.Select(r => (string?)r["status"]));
        Assert.Equal(1, await CountUsersAsync(api, "ok@x.org"));
        Assert.Equal(0, await CountUsersAsync(api, "late@x.org"));
    }

    [Fact]
    public async Task Without_failOnErrors_every_operation_runs_and_each_error_is_an_RFC_error_of_its_own()
    {
        var api = await ApiAsync();
        var operations = new[]
        {
            CreateUser("ok", "fine@x.org"),
            CreateUser("dup", "fine@x.org"),
            new JsonObject { ["method"] = "POST", ["path"] = "/Users", ["bulkId"] = "nameless", ["data"] = new JsonObject { ["displayName"] = "No userName" } },
            new JsonObject { ["method"] = "PATCH", ["path"] = $"/Users/{Guid.NewGuid()}", ["data"] = JsonNode.Parse("""{"Operations":[{"op":"replace","path":"title","value":"x"}]}""") },
            new JsonObject { ["method"] = "GET", ["path"] = "/Users" },
            new JsonObject { ["method"] = "DELETE", ["path"] = "/Teams/1" },
            new JsonObject { ["method"] = "POST", ["path"] = "/Users", ["data"] = new JsonObject { ["userName"] = "no-bulk-id@x.org" } },
            CreateGroup("orphans", "Orphans", "bulkId:nobody"),
            CreateGroup("after-failed", "After failed", "bulkId:dup"),
            CreateUser("last", "last@x.org"),
        };

        var results = Results(await api.ExpectAsync(HttpStatusCode.OK, api.PostAsync("/Bulk", Bulk(operations))));

        Assert.Equal(10, results.Count);
        Assert.Equal("201", (string?)results[0]["status"]);
        AssertError(results[1], "409", "uniqueness");
        AssertError(results[2], "400", "invalidValue");
        AssertError(results[3], "404", null);
        AssertError(results[4], "400", "invalidValue");
        AssertError(results[5], "400", "invalidPath");
        AssertError(results[6], "400", "invalidValue");
        AssertError(results[7], "400", "invalidValue");
        Assert.Contains("nobody", (string?)results[7]["response"]!["detail"], StringComparison.Ordinal);
        AssertError(results[8], "409", "invalidValue");
        Assert.Equal("201", (string?)results[9]["status"]);
        Assert.Equal(1, await CountUsersAsync(api, "last@x.org"));
    }

    [Fact]
    public async Task Circular_bulkId_references_are_refused_without_running_either_operation()
    {
        var api = await ApiAsync();
        var operations = new[] { CreateGroup("g1", "One", "bulkId:g2"), CreateGroup("g2", "Two", "bulkId:g1"), CreateUser("free", "free@x.org") };

        var results = Results(await api.ExpectAsync(HttpStatusCode.OK, api.PostAsync("/Bulk", Bulk(operations))));

        AssertError(results[0], "409", "invalidValue");
        AssertError(results[1], "409", "invalidValue");
        Assert.Equal("201", (string?)results[2]["status"]);
        var groups = await api.ExpectAsync(HttpStatusCode.OK, api.GetAsync("/Groups"));
        Assert.Equal(0, (int)groups["totalResults"]!);
    }

    [Fact]
    public async Task Version_is_checked_like_If_Match_and_PUT_answers_the_new_version()
    {
        var api = await ApiAsync();
        var user = await api.CreateUserAsync("versioned@x.org");
        var id = ScimApi.Id(user);
        var version = (string)user["meta"]!["version"]!;
        JsonObject Put(string title, string etag) => new()
        {
            ["method"] = "PUT",
            ["path"] = $"/Users/{id}",
            ["version"] = etag,
            ["data"] = new JsonObject { ["userName"] = "versioned@x.org", ["title"] = title },
        };

        var results = Results(await api.ExpectAsync(HttpStatusCode.OK, api.PostAsync("/Bulk", Bulk([Put("First", version), Put("Second", version)]))));

        Assert.Equal("200", (string?)results[0]["status"]);
        Assert.NotEqual(version, (string?)results[0]["version"]);
        Assert.EndsWith($"/scim/v2/Users/{id}", (string?)results[0]["location"]);
        AssertError(results[1], "412", null);
        var stored = await api.ExpectAsync(HttpStatusCode.OK, api.GetAsync($"/Users/{id}"));
        Assert.Equal("First", (string?)stored["title"]);
    }

    [Fact]
    public async Task A_body_that_is_no_BulkRequest_is_refused_as_a_whole()
    {
        var api = await ApiAsync();

        await api.ExpectErrorAsync(HttpStatusCode.BadRequest, "invalidSyntax", api.PostAsync("/Bulk", """{"schemas":["urn:ietf:params:scim:api:messages:2.0:BulkRequest"]}"""));
        await api.ExpectErrorAsync(HttpStatusCode.BadRequest, "invalidValue",
            api.PostAsync("/Bulk", Bulk([CreateUser("same", "one@x.org"), CreateUser("same", "two@x.org")])));
        await api.ExpectErrorAsync(HttpStatusCode.BadRequest, "invalidValue", api.PostAsync("/Bulk", Bulk([CreateUser("a", "a@x.org")], failOnErrors: 0)));
        Assert.Equal(0, await CountUsersAsync(api, "one@x.org"));
    }
}

public sealed class BulkTestsOnSqlite(ScimBridgeFactory factory) : BulkTests<ScimBridgeFactory>(factory);

public sealed class BulkTestsOnPostgres(PostgresScimBridgeFactory factory) : BulkTests<PostgresScimBridgeFactory>(factory);

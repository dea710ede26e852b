using System.Net;
using System.Text.Json.Nodes;
using ScimBridge.Scim.Tests.Infrastructure;

namespace ScimBridge.Scim.Tests.Hardening;

/// <summary>What a user PATCH may name (RFC 7644 §3.5.2), all or nothing, with the shapes Entra ID sends.</summary>
public abstract class PatchTargetTests<TFactory>(TFactory factory) : IClassFixture<TFactory>
    where TFactory : ScimBridgeFactory
{
    private const string Enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    private const string Platform = "urn:ietf:params:scim:schemas:extension:scimbridge:2.0:User";

    private async Task<(ScimApi Api, string Id)> UserAsync(string prefix = "target")
    {
        var api = new ScimApi(await factory.CreateOrganizationClientAsync(prefix + "-" + Guid.NewGuid().ToString("N")[..8]));
        var created = await api.ExpectAsync(HttpStatusCode.Created, api.PostAsync("/Users", """
            {"userName":"pat@example.org","title":"Engineer","name":{"givenName":"Pat","familyName":"Doe"},
             "emails":[{"value":"pat@example.org","type":"work","primary":true}]}
            """));
        return (api, ScimApi.Id(created));
    }

    private static Task<HttpResponseMessage> Patch(ScimApi api, string id, string operations) =>
        api.PatchAsync($"/Users/{id}", $$"""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":{{operations}}}""");

    private static string Op(string op, string path, JsonNode? value) =>
        new JsonArray(new JsonObject { ["op"] = op, ["path"] = path, ["value"] = value }).ToJsonString();

    [Fact]
    public async Task Unknown_paths_get_400_invalidPath_and_no_operation_of_the_request_is_applied()
    {
        var (api, id) = await UserAsync();
        var paths = new[]
        {
            "foo", "name.foo", "emails[type eq \"work\"].bogus", "emails[bogus eq \"work\"]", "no.such", "title[value eq \"x\"]",
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:shoeSize", new string('p', 100_000),
        };
        foreach (var path in paths)
        {
            var operations = $$"""[{"op":"replace","path":"title","value":"Changed"},{"op":"replace","path":{{JsonValue.Create(path).ToJsonString()}},"value":"x"}]""";

            await api.ExpectErrorAsync(HttpStatusCode.BadRequest, "invalidPath", Patch(api, id, operations));
        }

        await api.ExpectErrorAsync(HttpStatusCode.BadRequest, "invalidPath", Patch(api, id, """[{"op":"replace","value":{"title":"Changed","shoeSize":44}}]"""));
        var user = await api.ExpectAsync(HttpStatusCode.OK, api.GetAsync($"/Users/{id}"));
        Assert.Equal("Engineer", (string?)user["title"]);
    }

    [Fact]
    public async Task Read_only_attributes_are_a_mutability_error_in_PATCH_and_ignored_in_PUT()
    {
        var (api, id) = await UserAsync();
        foreach (var (path, value) in new (string, JsonNode?)[]
        {
            ("id", JsonValue.Create(Guid.NewGuid().ToString())), ("meta.lastModified", JsonValue.Create("2020-01-01T00:00:00Z")),
            ("meta", new JsonObject { ["version"] = "W/\"9\"" }), ("groups", new JsonArray(new JsonObject { ["value"] = Guid.NewGuid().ToString() })),
            ($"{Platform}:teams", new JsonArray(new JsonObject { ["value"] = Guid.NewGuid().ToString(), ["role"] = "ADMIN" })),
            ($"{Platform}:state", JsonValue.Create("active")), ($"{Enterprise}:manager.displayName", JsonValue.Create("Boss")),
        })
        {
            await api.ExpectErrorAsync(HttpStatusCode.BadRequest, "mutability", Patch(api, id,
                $$"""[{"op":"replace","path":"title","value":"Changed"},{{Op("replace", path, value)[1..^1]}}]"""));
        }

        // Okta repeats the user's own id: that changes nothing and is accepted.
        await api.ExpectAsync(HttpStatusCode.OK, Patch(api, id, Op("replace", "id", id)));
        var put = await api.ExpectAsync(HttpStatusCode.OK, api.PutAsync($"/Users/{id}", $$$"""
            {"id":"{{{id}}}","userName":"pat@example.org","title":"Put","meta":{"created":"2001-01-01T00:00:00Z","version":"W/\"99\""},
             "groups":[{"value":"{{{Guid.NewGuid()}}}"}],"{{{Platform}}}":{"state":"active","extension":"77"}}
            """));
        Assert.Equal("Put", (string?)put["title"]);
        Assert.Equal("77", (string?)put[Platform]!["extension"]);
        Assert.Equal("prepared", (string?)put[Platform]!["state"]);
        Assert.Null(put["groups"]);
        Assert.NotEqual("2001-01-01T00:00:00.000Z", (string?)put["meta"]!["created"]);
    }

    [Fact]
    public async Task Manager_must_be_a_user_of_the_same_organization_in_every_shape_Entra_sends()
    {
        var (api, id) = await UserAsync("manager");
        var boss = ScimApi.Id(await api.CreateUserAsync("boss@example.org"));
        var other = new ScimApi(await factory.CreateOrganizationClientAsync("elsewhere-" + Guid.NewGuid().ToString("N")[..8]));
        var stranger = ScimApi.Id(await other.CreateUserAsync("stranger@example.org"));
        var path = Enterprise + ":manager";

        await api.ExpectErrorAsync(HttpStatusCode.BadRequest, "invalidValue", Patch(api, id, Op("replace", path, "not-a-guid")));
        await api.ExpectErrorAsync(HttpStatusCode.BadRequest, "invalidValue", Patch(api, id, Op("replace", path, stranger)));
        await api.ExpectErrorAsync(HttpStatusCode.BadRequest, "invalidValue", Patch(api, id, Op("replace", path, Guid.NewGuid().ToString())));
        await api.ExpectErrorAsync(HttpStatusCode.BadRequest, "invalidValue", api.PostAsync("/Users",
            new JsonObject { ["userName"] = "new@example.org", [Enterprise] = new JsonObject { ["manager"] = new JsonObject { ["value"] = stranger } } }.ToJsonString()));

        async Task<string?> ManagerAfter(string operations)
        {
            var user = await api.ExpectAsync(HttpStatusCode.OK, Patch(api, id, operations));
            return (string?)user[Enterprise]?["manager"]?["value"];
        }

        Assert.Equal(boss, await ManagerAfter(Op("replace", path, new JsonObject { ["value"] = boss })));
        Assert.Null(await ManagerAfter(Op("replace", path, "")));
        Assert.Equal(boss, await ManagerAfter(Op("add", path, new JsonArray(new JsonObject { ["$ref"] = "../Users/" + boss, ["value"] = boss }))));
        Assert.Null(await ManagerAfter($$"""[{"op":"remove","path":"{{path}}"}]"""));
        Assert.Equal(boss, await ManagerAfter(Op("add", path, boss.ToUpperInvariant())));
        Assert.Null(await ManagerAfter(Op("replace", path, new JsonObject { ["value"] = null })));
    }

    [Fact]
    public async Task The_extension_URN_as_a_path_sets_replaces_or_clears_the_whole_extension()
    {
        var (api, id) = await UserAsync("urn");

        var added = await api.ExpectAsync(HttpStatusCode.OK, Patch(api, id, Op("add", Enterprise, new JsonObject
        {
            ["employeeNumber"] = "42", ["department"] = "Sales",
        })));
        Assert.Equal("42", (string?)added[Enterprise]!["employeeNumber"]);
        Assert.Equal("Sales", (string?)added[Enterprise]!["department"]);

        var replaced = await api.ExpectAsync(HttpStatusCode.OK, Patch(api, id, Op("replace", Enterprise, new JsonObject { ["costCenter"] = "CC-1" })));
        Assert.Equal("CC-1", (string?)replaced[Enterprise]!["costCenter"]);
        Assert.Null(replaced[Enterprise]!["employeeNumber"]);

        var removed = await api.ExpectAsync(HttpStatusCode.OK, Patch(api, id, $$"""[{"op":"remove","path":"{{Enterprise}}"}]"""));
        Assert.Null(removed[Enterprise]);

        var platform = await api.ExpectAsync(HttpStatusCode.OK, Patch(api, id, Op("replace", Platform, new JsonObject
        {
            ["extension"] = "4711", ["companyName"] = "Initech", ["state"] = "active",
        })));
        Assert.Equal("4711", (string?)platform[Platform]!["extension"]);
        Assert.Equal("Initech", (string?)platform[Platform]!["companyName"]);
        Assert.Equal("prepared", (string?)platform[Platform]!["state"]);

        var cleared = await api.ExpectAsync(HttpStatusCode.OK, Patch(api, id, $$"""[{"op":"remove","path":"{{Platform}}"}]"""));
        Assert.Null(cleared[Platform]!["extension"]);
        Assert.Equal("prepared", (string?)cleared[Platform]!["state"]);

        await api.ExpectErrorAsync(HttpStatusCode.BadRequest, "invalidPath", Patch(api, id, Op("add", Enterprise, new JsonObject { ["shoeSize"] = "44" })));
        await api.ExpectErrorAsync(HttpStatusCode.BadRequest, "invalidValue", Patch(api, id, Op("add", Enterprise, "not an object")));
    }

    [Fact]
    public async Task Entra_app_roles_sent_as_JSON_text_inside_value_become_multi_valued_roles()
    {
        var (api, id) = await UserAsync("roles");
        var admin = """{"id":"7d1d5a2e-0000-4000-8000-000000000001","value":"Admin","displayName":"Administrator"}""";
        var both = """[{"value":"Reader","displayName":"Reader"},{"value":"Writer","displayName":"Writer"}]""";

        var added = await api.ExpectAsync(HttpStatusCode.OK, Patch(api, id, Op("add", "roles", new JsonArray(
            new JsonObject { ["primary"] = false, ["type"] = "WindowsAzureActiveDirectoryRole", ["value"] = admin }))));
        var role = added["roles"]!.AsArray().Single()!;
        Assert.Equal("Admin", (string?)role["value"]);
        Assert.Equal("Administrator", (string?)role["display"]);
        Assert.Equal("WindowsAzureActiveDirectoryRole", (string?)role["type"]);

        var more = await api.ExpectAsync(HttpStatusCode.OK, Patch(api, id, Op("add", "roles", new JsonArray(new JsonObject { ["value"] = both }))));
        Assert.Equal(["Admin", "Reader", "Writer"], more["roles"]!.AsArray().Select(r => (string)r!["value"]!).Order(StringComparer.Ordinal));

        var removed = await api.ExpectAsync(HttpStatusCode.OK, Patch(api, id, Op("remove", "roles", new JsonArray(
            new JsonObject { ["value"] = admin, ["type"] = "WindowsAzureActiveDirectoryRole" }))));
        Assert.Equal(["Reader", "Writer"], removed["roles"]!.AsArray().Select(r => (string)r!["value"]!).Order(StringComparer.Ordinal));

        var created = await api.ExpectAsync(HttpStatusCode.Created, api.PostAsync("/Users", new JsonObject
        {
            ["userName"] = "roles@example.org",
            ["roles"] = new JsonArray(new JsonObject { ["value"] = both }),
        }.ToJsonString()));
        var read = await api.ExpectAsync(HttpStatusCode.OK, api.GetAsync($"/Users/{ScimApi.Id(created)}"));
        Assert.Equal(["Reader", "Writer"], read["roles"]!.AsArray().Select(r => (string)r!["display"]!).Order(StringComparer.Ordinal));

        await api.ExpectErrorAsync(HttpStatusCode.BadRequest, "invalidValue", Patch(api, id, Op("add", "roles", new JsonArray(new JsonObject { ["value"] = "{not json" }))));
    }
}

public sealed class PatchTargetTestsOnSqlite(ScimBridgeFactory factory) : PatchTargetTests<ScimBridgeFactory>(factory);

public sealed class PatchTargetTestsOnPostgres(PostgresScimBridgeFactory factory) : PatchTargetTests<PostgresScimBridgeFactory>(factory);

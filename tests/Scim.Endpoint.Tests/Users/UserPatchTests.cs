using System.Net;
using System.Text.Json.Nodes;
using ScimBridge.Scim.Tests.Infrastructure;

namespace ScimBridge.Scim.Tests.Users;

public abstract class UserPatchTests<TFactory>(TFactory factory) : IClassFixture<TFactory>
    where TFactory : ScimBridgeFactory
{
    private const string Platform = "urn:ietf:params:scim:schemas:extension:scimbridge:2.0:User";

    private async Task<(ScimApi Api, string Id)> UserWithTwoEmailsAsync()
    {
        var api = new ScimApi(await factory.CreateOrganizationClientAsync("patch-" + Guid.NewGuid().ToString("N")[..8]));
        var created = await api.ExpectAsync(HttpStatusCode.Created, api.PostAsync("/Users", """
            {"userName":"pat@example.org","name":{"givenName":"Pat","familyName":"Doe"},
             "emails":[{"value":"pat@example.org","type":"work","primary":true},{"value":"pat@home.example","type":"home"}]}
            """));
        return (api, ScimApi.Id(created));
    }

    private static Task<HttpResponseMessage> Patch(ScimApi api, string id, string operations) =>
        api.PatchAsync($"/Users/{id}", $$"""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":{{operations}}}""");

    private static List<string?> Emails(JsonObject user) => [.. user["emails"]?.AsArray().Select(e => (string?)e!["value"]) ?? []];

    [Fact]
    public async Task Patch_with_capitalised_Replace_deactivates_user()
    {
        var (api, id) = await UserWithTwoEmailsAsync();

        var user = await api.ExpectAsync(HttpStatusCode.OK, Patch(api, id, """[{"Op":"Replace","Path":"Active","Value":"False"}]"""));

        Assert.False((bool)user["active"]!);
    }

    [Fact]
    public async Task Add_appends_a_value_and_skips_duplicates()
    {
        var (api, id) = await UserWithTwoEmailsAsync();

        var user = await api.ExpectAsync(HttpStatusCode.OK, Patch(api, id,
            """[{"op":"add","path":"emails","value":[{"value":"pat@other.example","type":"other"},{"value":"pat@example.org","type":"work"}]}]"""));

        Assert.Equal(["pat@example.org", "pat@home.example", "pat@other.example"], Emails(user));
    }

    [Fact]
    public async Task Remove_with_value_filter_removes_only_matches()
    {
        var (api, id) = await UserWithTwoEmailsAsync();

        var user = await api.ExpectAsync(HttpStatusCode.OK, Patch(api, id, """[{"op":"remove","path":"emails[type eq \"home\"]"}]"""));

        Assert.Equal(["pat@example.org"], Emails(user));
    }

    [Fact]
    public async Task Remove_with_filter_that_matches_nothing_is_a_no_op()
    {
        var (api, id) = await UserWithTwoEmailsAsync();

        var user = await api.ExpectAsync(HttpStatusCode.OK, Patch(api, id, """[{"op":"remove","path":"emails[type eq \"fax\"]"}]"""));

        Assert.Equal(2, Emails(user).Count);
    }

    [Fact]
    public async Task Replace_with_value_filter_replaces_the_matched_element()
    {
        var (api, id) = await UserWithTwoEmailsAsync();

        var user = await api.ExpectAsync(HttpStatusCode.OK, Patch(api, id,
            """[{"op":"replace","path":"emails[type eq \"home\"]","value":{"value":"new@home.example","type":"home"}}]"""));

        Assert.Equal(["pat@example.org", "new@home.example"], Emails(user));
    }

    [Fact]
    public async Task Replace_with_value_filter_that_matches_nothing_gets_noTarget()
    {
        var (api, id) = await UserWithTwoEmailsAsync();

        await api.ExpectErrorAsync(HttpStatusCode.BadRequest, "noTarget", Patch(api, id,
            """[{"op":"replace","path":"emails[value co \"nowhere\"]","value":{"value":"x@example.org"}}]"""));
    }

    [Fact]
    public async Task Replace_without_filter_replaces_all_values_of_a_multi_valued_attribute()
    {
        var (api, id) = await UserWithTwoEmailsAsync();

        var user = await api.ExpectAsync(HttpStatusCode.OK, Patch(api, id, """[{"op":"replace","path":"emails","value":[{"value":"only@example.org"}]}]"""));

        Assert.Equal(["only@example.org"], Emails(user));
    }

    [Fact]
    public async Task Complex_replace_keeps_unnamed_sub_attributes_and_remove_clears_one()
    {
        var (api, id) = await UserWithTwoEmailsAsync();

        var user = await api.ExpectAsync(HttpStatusCode.OK, Patch(api, id,
            """[{"op":"replace","path":"name","value":{"givenName":"Patricia"}},{"op":"remove","path":"name.familyName"}]"""));

        Assert.Equal("Patricia", (string?)user["name"]!["givenName"]);
        Assert.Null(user["name"]!["familyName"]);
    }

    [Fact]
    public async Task Platform_extension_attributes_are_patched_by_qualified_path_and_teams_are_read_only()
    {
        var (api, id) = await UserWithTwoEmailsAsync();

        var user = await api.ExpectAsync(HttpStatusCode.OK, Patch(api, id, $$"""
            [{"op":"add","path":"{{Platform}}:extension","value":"4711"}]
            """));
        await api.ExpectErrorAsync(HttpStatusCode.BadRequest, "mutability", Patch(api, id, $$"""
            [{"op":"replace","path":"{{Platform}}:teams","value":[{"value":"{{Guid.NewGuid()}}","role":"ADMIN"}]}]
            """));

        Assert.Equal("4711", (string?)user[Platform]!["extension"]);
        Assert.Null(user[Platform]!["teams"]);
    }

    [Theory]
    [InlineData("""[{"op":"replace","path":"id","value":"00000000-0000-0000-0000-000000000001"}]""", "mutability")]
    [InlineData("""[{"op":"jump","path":"title","value":"x"}]""", "invalidSyntax")]
    [InlineData("""[{"op":"replace","path":"emails[type eq","value":"x"}]""", "invalidPath")]
    [InlineData("""[{"op":"replace","path":"urn:example:unknown:Schema:title","value":"x"}]""", "invalidPath")]
    [InlineData("""[{"op":"replace","path":"emails[type eq \"work\"].value","value":"not an email"}]""", "invalidValue")]
    [InlineData("""[{"op":"replace","path":"active","value":"maybe"}]""", "invalidValue")]
    [InlineData("""[{"op":"replace","value":"not an object"}]""", "invalidSyntax")]
    [InlineData("""[{"op":"replace","path":"userName","value":null}]""", "invalidValue")]
    public async Task Bad_user_patches_get_400_with_scimType(string operations, string scimType)
    {
        var (api, id) = await UserWithTwoEmailsAsync();

        await api.ExpectErrorAsync(HttpStatusCode.BadRequest, scimType, Patch(api, id, operations));
    }

    [Fact]
    public async Task Patch_to_a_taken_userName_gets_409()
    {
        var (api, id) = await UserWithTwoEmailsAsync();
        await api.CreateUserAsync("taken@example.org");

        await api.ExpectErrorAsync(HttpStatusCode.Conflict, "uniqueness", Patch(api, id, """[{"op":"replace","path":"userName","value":"Taken@Example.org"}]"""));
    }

    [Fact]
    public async Task Reactivation_by_path_less_replace_restores_the_user()
    {
        var (api, id) = await UserWithTwoEmailsAsync();
        await api.ExpectAsync(HttpStatusCode.OK, Patch(api, id, """[{"op":"replace","value":{"active":false}}]"""));

        var user = await api.ExpectAsync(HttpStatusCode.OK, Patch(api, id, """[{"op":"replace","value":{"active":true}}]"""));

        Assert.True((bool)user["active"]!);
        Assert.Equal("prepared", (string?)user[Platform]!["state"]);
    }
}

public sealed class UserPatchTestsOnSqlite(ScimBridgeFactory factory) : UserPatchTests<ScimBridgeFactory>(factory);

public sealed class UserPatchTestsOnPostgres(PostgresScimBridgeFactory factory) : UserPatchTests<PostgresScimBridgeFactory>(factory);

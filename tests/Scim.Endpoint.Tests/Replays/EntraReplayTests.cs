using System.Net;
using System.Text.Json.Nodes;
using ScimBridge.Scim.Tests.Infrastructure;

namespace ScimBridge.Scim.Tests.Replays;

/// <summary>The request sequence Microsoft Entra ID sends to a SCIM endpoint, replayed from recorded payloads.</summary>
public abstract class EntraReplayTests<TFactory>(TFactory factory) : IClassFixture<TFactory>
    where TFactory : ScimBridgeFactory
{
    private const string Enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

    private async Task<ScimApi> ApiAsync() => new(await factory.CreateOrganizationClientAsync("entra-" + Guid.NewGuid().ToString("N")[..8]));

    [Fact]
    public async Task User_lifecycle_create_lookup_update_disable_delete()
    {
        var api = await ApiAsync();
        var externalId = Guid.NewGuid().ToString();
        var created = await api.ExpectAsync(HttpStatusCode.Created,
            api.PostAsync("/Users", Payload.Load("entra/create-user.json", ("externalId", externalId), ("userName", "test_user_1@contoso.com"))));
        var id = ScimApi.Id(created);

        var byId = await api.ExpectAsync(HttpStatusCode.OK, api.GetAsync($"/Users/{id}"));
        Assert.Equal("test_user_1@contoso.com", (string?)byId["userName"]);
        Assert.Equal("familyName", (string?)byId["name"]!["familyName"]);

        var byUserName = await api.ExpectAsync(HttpStatusCode.OK,
            api.GetAsync("/Users?filter=" + Uri.EscapeDataString("userName eq \"TEST_USER_1@contoso.com\"")));
        Assert.Equal(1, (int)byUserName["totalResults"]!);
        Assert.Equal(id, (string?)byUserName["Resources"]![0]!["id"]);

        var byExternalId = await api.ExpectAsync(HttpStatusCode.OK,
            api.GetAsync("/Users?filter=" + Uri.EscapeDataString($"externalId eq \"{externalId}\"")));
        Assert.Equal(id, (string?)byExternalId["Resources"]![0]!["id"]);

        var none = await api.ExpectAsync(HttpStatusCode.OK,
            api.GetAsync("/Users?filter=" + Uri.EscapeDataString("userName eq \"non-existent user\"")));
        Assert.Equal(0, (int)none["totalResults"]!);
        Assert.Empty(none["Resources"]!.AsArray());

        var patched = await api.ExpectAsync(HttpStatusCode.OK,
            api.PatchAsync($"/Users/{id}", Payload.Load("entra/patch-user-replace-attributes.json", ("email", "updated@contoso.com"))));
        Assert.Equal("updatedFamilyName", (string?)patched["name"]!["familyName"]);
        var email = Assert.Single(patched["emails"]!.AsArray());
        Assert.Equal("updated@contoso.com", (string?)email!["value"]);
        Assert.Equal("work", (string?)email["type"]);

        var renamed = await api.ExpectAsync(HttpStatusCode.OK,
            api.PatchAsync($"/Users/{id}", Payload.Load("entra/patch-user-username.json", ("userName", "renamed@contoso.com"))));
        Assert.Equal("renamed@contoso.com", (string?)renamed["userName"]);

        var disabled = await api.ExpectAsync(HttpStatusCode.OK, api.PatchAsync($"/Users/{id}", Payload.Load("entra/patch-user-disable.json")));
        Assert.False((bool)disabled["active"]!);
        var stillThere = await api.ExpectAsync(HttpStatusCode.OK, api.GetAsync($"/Users/{id}"));
        Assert.False((bool)stillThere["active"]!);

        await api.ExpectAsync(HttpStatusCode.NoContent, api.DeleteAsync($"/Users/{id}"));
        await api.ExpectErrorAsync(HttpStatusCode.NotFound, null, api.GetAsync($"/Users/{id}"));
    }

    [Fact]
    public async Task Legacy_string_boolean_disables_user()
    {
        var api = await ApiAsync();
        var id = ScimApi.Id(await api.CreateUserAsync("legacy@contoso.com"));

        var disabled = await api.ExpectAsync(HttpStatusCode.OK, api.PatchAsync($"/Users/{id}", Payload.Load("entra/patch-user-disable-legacy.json")));

        Assert.False((bool)disabled["active"]!);
    }

    [Fact]
    public async Task Create_with_null_attributes_extra_schemas_and_string_booleans_is_accepted()
    {
        var api = await ApiAsync();

        var created = await api.ExpectAsync(HttpStatusCode.Created,
            api.PostAsync("/Users", Payload.Load("entra/create-user-with-nulls.json", ("externalId", "ext-1"), ("userName", "ada@contoso.com"))));

        Assert.Equal("ada@contoso.com", (string?)created["userName"]);
        Assert.True((bool)created["active"]!);
        Assert.True((bool)created["emails"]![0]!["primary"]!);
        Assert.Null(created["displayName"]);
        Assert.Equal("1001", (string?)created[Enterprise]!["employeeNumber"]);
        Assert.Null(created[Enterprise]!["department"]);
    }

    [Fact]
    public async Task Pathless_replace_with_dotted_and_urn_keys_updates_attributes()
    {
        var api = await ApiAsync();
        var id = ScimApi.Id(await api.CreateUserAsync("dotted@contoso.com"));

        var patched = await api.ExpectAsync(HttpStatusCode.OK, api.PatchAsync($"/Users/{id}", Payload.Load("entra/patch-user-pathless-replace.json")));

        Assert.Equal("A", (string?)patched["name"]!["givenName"]);
        Assert.Equal("Family", (string?)patched["name"]!["familyName"]);
        Assert.Equal("42", (string?)patched[Enterprise]!["employeeNumber"]);
        Assert.Equal("A Person", (string?)patched["displayName"]);
        Assert.True((bool)patched["active"]!);
    }

    [Theory]
    [InlineData("entra/patch-user-manager-string.json")]
    [InlineData("entra/patch-user-manager-array.json")]
    public async Task Manager_as_bare_id_or_list_sets_the_manager(string payload)
    {
        var api = await ApiAsync();
        var manager = await api.CreateUserAsync("boss@contoso.com");
        var id = ScimApi.Id(await api.CreateUserAsync("report@contoso.com"));

        var patched = await api.ExpectAsync(HttpStatusCode.OK,
            api.PatchAsync($"/Users/{id}", Payload.Load(payload, ("managerId", ScimApi.Id(manager)))));

        var value = patched[Enterprise]!["manager"]!;
        Assert.Equal(ScimApi.Id(manager), (string?)value["value"]);
        Assert.Equal("boss@contoso.com", (string?)value["displayName"]);
        Assert.EndsWith("/scim/v2/Users/" + ScimApi.Id(manager), (string?)value["$ref"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Empty_operations_list_is_a_no_op_with_200()
    {
        var api = await ApiAsync();
        var created = await api.CreateUserAsync("noop@contoso.com");

        var patched = await api.ExpectAsync(HttpStatusCode.OK, api.PatchAsync($"/Users/{ScimApi.Id(created)}", Payload.Load("entra/patch-user-empty.json")));

        Assert.Equal((string?)created["meta"]!["version"], (string?)patched["meta"]!["version"]);
    }

    [Fact]
    public async Task Replace_of_work_email_value_creates_it_when_missing()
    {
        var api = await ApiAsync();
        var created = await api.ExpectAsync(HttpStatusCode.Created, api.PostAsync("/Users", """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"nomail"}"""));

        var patched = await api.ExpectAsync(HttpStatusCode.OK,
            api.PatchAsync($"/Users/{ScimApi.Id(created)}", Payload.Load("entra/patch-user-replace-attributes.json", ("email", "new@contoso.com"))));

        var email = Assert.Single(patched["emails"]!.AsArray());
        Assert.Equal("new@contoso.com", (string?)email!["value"]);
        Assert.Equal("work", (string?)email["type"]);
    }

    [Fact]
    public async Task Group_lifecycle_create_lookup_rename_add_and_remove_members_delete()
    {
        var api = await ApiAsync();
        var alice = ScimApi.Id(await api.CreateUserAsync("alice@contoso.com"));
        var bob = ScimApi.Id(await api.CreateUserAsync("bob@contoso.com"));
        var created = await api.ExpectAsync(HttpStatusCode.Created,
            api.PostAsync("/Groups", Payload.Load("entra/create-group.json", ("externalId", "grp-ext"), ("displayName", "Sales"))));
        var id = ScimApi.Id(created);

        var byId = await api.ExpectAsync(HttpStatusCode.OK, api.GetAsync($"/Groups/{id}?excludedAttributes=members"));
        Assert.Null(byId["members"]);
        Assert.Equal("Sales", (string?)byId["displayName"]);

        var byName = await api.ExpectAsync(HttpStatusCode.OK,
            api.GetAsync("/Groups?excludedAttributes=members&filter=" + Uri.EscapeDataString("displayName eq \"Sales\"")));
        Assert.Equal(id, (string?)byName["Resources"]![0]!["id"]);

        await api.ExpectAsync(HttpStatusCode.NoContent, api.PatchAsync($"/Groups/{id}", Payload.Load("entra/patch-group-rename.json", ("displayName", "Sales EMEA"))));
        await api.ExpectAsync(HttpStatusCode.NoContent, api.PatchAsync($"/Groups/{id}", Payload.Load("entra/patch-group-add-member.json", ("memberId", alice))));
        await api.ExpectAsync(HttpStatusCode.NoContent, api.PatchAsync($"/Groups/{id}", Payload.Load("entra/patch-group-add-member.json", ("memberId", bob))));
        await api.ExpectAsync(HttpStatusCode.NoContent, api.PatchAsync($"/Groups/{id}", Payload.Load("entra/patch-group-remove-member.json", ("memberId", alice))));

        var group = await api.ExpectAsync(HttpStatusCode.OK, api.GetAsync($"/Groups/{id}"));
        Assert.Equal("Sales EMEA", (string?)group["displayName"]);
        var member = Assert.Single(group["members"]!.AsArray());
        Assert.Equal(bob, (string?)member!["value"]);
        Assert.Equal("User", (string?)member["type"]);

        var bobUser = await api.ExpectAsync(HttpStatusCode.OK, api.GetAsync($"/Users/{bob}"));
        Assert.Equal("Sales EMEA", (string?)Assert.Single(bobUser["groups"]!.AsArray())!["display"]);

        await api.ExpectAsync(HttpStatusCode.NoContent, api.DeleteAsync($"/Groups/{id}"));
        await api.ExpectErrorAsync(HttpStatusCode.NotFound, null, api.GetAsync($"/Groups/{id}"));
    }
}

public sealed class EntraReplayTestsOnSqlite(ScimBridgeFactory factory) : EntraReplayTests<ScimBridgeFactory>(factory);

public sealed class EntraReplayTestsOnPostgres(PostgresScimBridgeFactory factory) : EntraReplayTests<PostgresScimBridgeFactory>(factory);

using System.Net;
using System.Text.Json;
using ScimBridge.Scim.Tests.Infrastructure;

namespace ScimBridge.Scim.Tests;

public sealed class DiscoveryTests(ScimBridgeFactory factory) : IClassFixture<ScimBridgeFactory>
{
    private async Task<JsonElement> GetJsonAsync(string path, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var client = await factory.CreateOrganizationClientAsync("discovery");
        var response = await client.GetAsync(path);
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/scim+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    [Fact]
    public async Task ServiceProviderConfig_advertises_patch_filter_sort_etag_and_bulk_with_its_limits()
    {
        var config = await GetJsonAsync("/scim/v2/ServiceProviderConfig");

        Assert.True(config.GetProperty("patch").GetProperty("supported").GetBoolean());
        Assert.True(config.GetProperty("filter").GetProperty("supported").GetBoolean());
        Assert.Equal(1000, config.GetProperty("filter").GetProperty("maxResults").GetInt32());
        Assert.True(config.GetProperty("sort").GetProperty("supported").GetBoolean());
        Assert.True(config.GetProperty("etag").GetProperty("supported").GetBoolean());
        Assert.True(config.GetProperty("bulk").GetProperty("supported").GetBoolean());
        Assert.Equal(1000, config.GetProperty("bulk").GetProperty("maxOperations").GetInt32());
        Assert.Equal(4 * 1024 * 1024, config.GetProperty("bulk").GetProperty("maxPayloadSize").GetInt32());
        Assert.False(config.GetProperty("changePassword").GetProperty("supported").GetBoolean());
        Assert.Equal("oauthbearertoken", config.GetProperty("authenticationSchemes")[0].GetProperty("type").GetString());
        Assert.EndsWith("/scim/v2/ServiceProviderConfig", config.GetProperty("meta").GetProperty("location").GetString());
    }

    [Fact]
    public async Task Schemas_lists_user_group_enterprise_and_platform_extension()
    {
        var list = await GetJsonAsync("/scim/v2/Schemas");

        var ids = list.GetProperty("Resources").EnumerateArray().Select(r => r.GetProperty("id").GetString()).ToList();
        Assert.Equal(4, list.GetProperty("totalResults").GetInt32());
        Assert.Contains("urn:ietf:params:scim:schemas:core:2.0:User", ids);
        Assert.Contains("urn:ietf:params:scim:schemas:core:2.0:Group", ids);
        Assert.Contains("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", ids);
        Assert.Contains("urn:ietf:params:scim:schemas:extension:scimbridge:2.0:User", ids);
    }

    [Fact]
    public async Task User_schema_marks_userName_unique_and_password_never_returned()
    {
        var schema = await GetJsonAsync("/scim/v2/Schemas/urn:ietf:params:scim:schemas:core:2.0:User");

        var attributes = schema.GetProperty("attributes").EnumerateArray().ToDictionary(a => a.GetProperty("name").GetString()!);
        Assert.Equal("server", attributes["userName"].GetProperty("uniqueness").GetString());
        Assert.True(attributes["userName"].GetProperty("required").GetBoolean());
        Assert.Equal("never", attributes["password"].GetProperty("returned").GetString());
        Assert.Equal("writeOnly", attributes["password"].GetProperty("mutability").GetString());
        Assert.Equal("readOnly", attributes["groups"].GetProperty("mutability").GetString());
    }

    [Fact]
    public async Task Platform_extension_exposes_teams_as_read_only()
    {
        var schema = await GetJsonAsync("/scim/v2/Schemas/urn:ietf:params:scim:schemas:extension:scimbridge:2.0:User");

        var teams = schema.GetProperty("attributes").EnumerateArray().Single(a => a.GetProperty("name").GetString() == "teams");
        Assert.Equal("readOnly", teams.GetProperty("mutability").GetString());
        Assert.True(teams.GetProperty("multiValued").GetBoolean());
    }

    [Fact]
    public async Task ResourceTypes_lists_users_with_both_extensions_and_groups()
    {
        var list = await GetJsonAsync("/scim/v2/ResourceTypes");

        var user = list.GetProperty("Resources").EnumerateArray().Single(r => r.GetProperty("id").GetString() == "User");
        Assert.Equal("/Users", user.GetProperty("endpoint").GetString());
        Assert.Equal(2, user.GetProperty("schemaExtensions").GetArrayLength());
        var group = await GetJsonAsync("/scim/v2/ResourceTypes/Group");
        Assert.Equal("/Groups", group.GetProperty("endpoint").GetString());
    }

    [Fact]
    public async Task Unknown_schema_is_404_in_scim_error_form()
    {
        var error = await GetJsonAsync("/scim/v2/Schemas/urn:nope", HttpStatusCode.NotFound);

        Assert.Equal("404", error.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Filter_on_discovery_endpoint_is_forbidden()
    {
        var error = await GetJsonAsync("/scim/v2/ResourceTypes?filter=id%20eq%20%22User%22", HttpStatusCode.Forbidden);

        Assert.Equal("403", error.GetProperty("status").GetString());
    }
}

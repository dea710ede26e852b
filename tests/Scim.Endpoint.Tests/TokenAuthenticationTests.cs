using System.Net;
using System.Text.Json;
using ScimBridge.Scim.Tests.Infrastructure;

namespace ScimBridge.Scim.Tests;

public sealed class TokenAuthenticationTests(ScimBridgeFactory factory) : IClassFixture<ScimBridgeFactory>
{
    [Fact]
    public async Task Request_without_token_gets_401_scim_error_and_bearer_challenge()
    {
        var response = await factory.CreateClient().GetAsync("/scim/v2/Users");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal("application/scim+json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("401", body.RootElement.GetProperty("status").GetString());
        Assert.Equal("urn:ietf:params:scim:api:messages:2.0:Error", body.RootElement.GetProperty("schemas")[0].GetString());
    }

    [Fact]
    public async Task Request_with_wrong_token_gets_401()
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", "scb_not-a-real-token");

        var response = await client.GetAsync("/scim/v2/Users");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}

using System.Net;
using System.Text;
using System.Text.Json;
using ScimBridge.Scim.Tests.Infrastructure;

namespace ScimBridge.Scim.Tests;

public sealed class RateLimitedFactory : ScimBridgeFactory
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["ScimBridge:Scim:RequestsPerSecondPerOrganization"] = "1",
        ["ScimBridge:Scim:RequestBurstPerOrganization"] = "3",
    };
}

public sealed class RateLimitTests(RateLimitedFactory factory) : IClassFixture<RateLimitedFactory>
{
    private static StringContent NewUser(int i) => new(
        $$"""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"burst{{i}}@example.org"}""",
        Encoding.UTF8, "application/scim+json");

    [Fact]
    public async Task Requests_over_the_organization_limit_get_429_with_Retry_After_and_change_nothing()
    {
        var client = await factory.CreateOrganizationClientAsync("busy");

        var responses = new List<HttpResponseMessage>();
        for (var i = 0; i < 8; i++)
        {
            responses.Add(await client.PostAsync("/scim/v2/Users", NewUser(i)));
        }

        var rejected = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(rejected);
        Assert.All(rejected, r => Assert.True(r.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1)));
        using var error = JsonDocument.Parse(await rejected[0].Content.ReadAsStringAsync());
        Assert.Equal("429", error.RootElement.GetProperty("status").GetString());

        // Only the accepted creates exist: a rejected request was never half applied. The count is read once the
        // bucket lets a request through again.
        var created = responses.Count(r => r.StatusCode == HttpStatusCode.Created);
        HttpResponseMessage? listed = null;
        await Poll.UntilAsync(async () => (listed = await client.GetAsync("/scim/v2/Users?count=0")).StatusCode != HttpStatusCode.TooManyRequests,
            "the organization's rate limit to let a request through");
        Assert.Equal(HttpStatusCode.OK, listed!.StatusCode);
        using var list = JsonDocument.Parse(await listed.Content.ReadAsStringAsync());
        Assert.Equal(created, list.RootElement.GetProperty("totalResults").GetInt32());
    }

    [Fact]
    public async Task One_organization_hitting_its_limit_does_not_slow_another()
    {
        var busy = await factory.CreateOrganizationClientAsync("noisy");
        var quiet = await factory.CreateOrganizationClientAsync("quiet");
        for (var i = 0; i < 6; i++)
        {
            await busy.GetAsync("/scim/v2/Users");
        }

        var response = await quiet.GetAsync("/scim/v2/Users");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}

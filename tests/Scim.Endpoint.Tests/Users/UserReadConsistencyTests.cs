using System.Net;
using ScimBridge.Scim.Tests.Infrastructure;

namespace ScimBridge.Scim.Tests.Users;

/// <summary>
/// User lookups run on pooled read connections that outlive requests; every lookup must still see the state committed
/// before it started, also after lookups that failed.
/// </summary>
public sealed class UserReadConsistencyTests(ScimBridgeFactory factory) : IClassFixture<ScimBridgeFactory>
{
    [Fact]
    public async Task Every_lookup_sees_the_change_committed_just_before_it_even_after_failed_lookups()
    {
        var api = new ScimApi(await factory.CreateOrganizationClientAsync("reads-" + Guid.NewGuid().ToString("N")[..8]));
        var id = ScimApi.Id(await api.CreateUserAsync("reader@example.org"));
        var filter = "/Users?filter=" + Uri.EscapeDataString("userName eq \"reader@example.org\"");

        for (var round = 0; round < 15; round++)
        {
            await api.ExpectAsync(HttpStatusCode.OK, api.PatchAsync($"/Users/{id}",
                $$"""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"displayName","value":"Round {{round}}"}]}"""));

            // Several at once, so that several pooled connections serve them; some fail with 404 on the way.
            var reads = Enumerable.Range(0, 8).Select(async i =>
            {
                if (i % 4 == 3)
                {
                    await api.ExpectErrorAsync(HttpStatusCode.NotFound, null, api.GetAsync($"/Users/{Guid.NewGuid()}"));
                    return $"Round {round}";
                }

                var body = await api.ExpectAsync(HttpStatusCode.OK, api.GetAsync(i % 2 == 0 ? $"/Users/{id}" : filter));
                var user = i % 2 == 0 ? body : body["Resources"]![0]!.AsObject();
                return (string)user["displayName"]!;
            });

            Assert.All(await Task.WhenAll(reads), name => Assert.Equal($"Round {round}", name));
        }
    }

    [Fact]
    public async Task A_deleted_user_disappears_from_lookups_at_once()
    {
        var api = new ScimApi(await factory.CreateOrganizationClientAsync("reads-" + Guid.NewGuid().ToString("N")[..8]));
        var id = ScimApi.Id(await api.CreateUserAsync("leaver@example.org"));
        await api.ExpectAsync(HttpStatusCode.OK, api.GetAsync($"/Users/{id}"));

        var deleted = await api.DeleteAsync($"/Users/{id}");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await api.ExpectErrorAsync(HttpStatusCode.NotFound, null, api.GetAsync($"/Users/{id}"));
        var found = await api.ExpectAsync(HttpStatusCode.OK, api.GetAsync("/Users?filter=" + Uri.EscapeDataString("userName eq \"leaver@example.org\"")));
        Assert.Equal(0, (int)found["totalResults"]!);
    }
}

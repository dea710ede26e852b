using System.Net;
using ScimBridge.Scim.Tests.Infrastructure;

namespace ScimBridge.Scim.Tests.Resources;

public abstract class TenantIsolationTests<TFactory>(TFactory factory) : IClassFixture<TFactory>
    where TFactory : ScimBridgeFactory
{
    [Fact]
    public async Task Another_organizations_token_gets_404_and_never_sees_its_resources()
    {
        var orgA = new ScimApi(await factory.CreateOrganizationClientAsync("tenant-a"));
        var orgB = new ScimApi(await factory.CreateOrganizationClientAsync("tenant-b"));
        var user = ScimApi.Id(await orgA.CreateUserAsync("shared@example.org"));
        var group = ScimApi.Id(await orgA.CreateGroupAsync("Shared", user));

        await orgB.ExpectErrorAsync(HttpStatusCode.NotFound, null, orgB.GetAsync($"/Users/{user}"));
        await orgB.ExpectErrorAsync(HttpStatusCode.NotFound, null, orgB.GetAsync($"/Groups/{group}"));
        await orgB.ExpectErrorAsync(HttpStatusCode.NotFound, null, orgB.PutAsync($"/Users/{user}", """{"userName":"stolen@example.org"}"""));
        await orgB.ExpectErrorAsync(HttpStatusCode.NotFound, null, orgB.PatchAsync($"/Groups/{group}", """{"Operations":[{"op":"remove","path":"members"}]}"""));
        await orgB.ExpectErrorAsync(HttpStatusCode.NotFound, null, orgB.DeleteAsync($"/Users/{user}"));
        await orgB.ExpectErrorAsync(HttpStatusCode.NotFound, null, orgB.DeleteAsync($"/Groups/{group}"));

        var users = await orgB.ExpectAsync(HttpStatusCode.OK, orgB.GetAsync("/Users"));
        var groups = await orgB.ExpectAsync(HttpStatusCode.OK, orgB.GetAsync("/Groups"));
        var filtered = await orgB.ExpectAsync(HttpStatusCode.OK, orgB.GetAsync("/Users?filter=" + Uri.EscapeDataString("userName eq \"shared@example.org\"")));
        var search = await orgB.ExpectAsync(HttpStatusCode.OK, orgB.PostAsync("/.search", """{"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"]}"""));
        Assert.Equal(0, (int)users["totalResults"]!);
        Assert.Equal(0, (int)groups["totalResults"]!);
        Assert.Equal(0, (int)filtered["totalResults"]!);
        Assert.Equal(0, (int)search["totalResults"]!);

        // B may use the same userName; A's member list is untouched by B's attempts.
        await orgB.CreateUserAsync("shared@example.org");
        var stillA = await orgA.ExpectAsync(HttpStatusCode.OK, orgA.GetAsync($"/Groups/{group}"));
        Assert.Single(stillA["members"]!.AsArray());

        // A group in B cannot take A's user as a member.
        await orgB.ExpectErrorAsync(HttpStatusCode.BadRequest, "invalidValue",
            orgB.PostAsync("/Groups", $$"""{"displayName":"Sneaky","members":[{"value":"{{user}}"}]}"""));
    }
}

public sealed class TenantIsolationTestsOnSqlite(ScimBridgeFactory factory) : TenantIsolationTests<ScimBridgeFactory>(factory);

public sealed class TenantIsolationTestsOnPostgres(PostgresScimBridgeFactory factory) : TenantIsolationTests<PostgresScimBridgeFactory>(factory);

using System.Net;
using System.Text.Json.Nodes;
using ScimBridge.Scim.Tests.Infrastructure;

namespace ScimBridge.Scim.Tests.Hardening;

/// <summary>Filters, member names and issuers the way identity providers send and expect them.</summary>
public abstract class IdentityProviderShapeTests<TFactory>(TFactory factory) : IClassFixture<TFactory>
    where TFactory : ScimBridgeFactory
{
    private async Task<ScimApi> ApiAsync(string prefix) =>
        new(await factory.CreateOrganizationClientAsync(prefix + "-" + Guid.NewGuid().ToString("N")[..8]));

    private static async Task<List<string>> UserNamesAsync(ScimApi api, string filter)
    {
        var list = await api.ExpectAsync(HttpStatusCode.OK, api.GetAsync("/Users?filter=" + Uri.EscapeDataString(filter)));
        return [.. list["Resources"]!.AsArray().Select(r => (string)r!["userName"]!).Order(StringComparer.Ordinal)];
    }

    [Fact]
    public async Task A_value_path_with_a_sub_attribute_selects_users_whose_same_element_matches()
    {
        var api = await ApiAsync("valuepath");
        await api.ExpectAsync(HttpStatusCode.Created, api.PostAsync("/Users", """
            {"userName":"work@example.org","emails":[{"value":"a@b.c","type":"work"},{"value":"home@b.c","type":"home"}],
             "phoneNumbers":[{"value":"+1 555 0100","type":"mobile"}]}
            """));
        await api.ExpectAsync(HttpStatusCode.Created, api.PostAsync("/Users", """
            {"userName":"home@example.org","emails":[{"value":"w@b.c","type":"work"},{"value":"a@b.c","type":"home"}]}
            """));

        Assert.Equal(["work@example.org"], await UserNamesAsync(api, "emails[type eq \"work\"].value eq \"a@b.c\""));
        Assert.Equal(["work@example.org"], await UserNamesAsync(api, "emails[type eq \"work\"].value eq \"A@B.C\""));
        Assert.Equal(["home@example.org"], await UserNamesAsync(api, "emails[type eq \"home\"].value eq \"a@b.c\""));
        Assert.Equal(["work@example.org"], await UserNamesAsync(api, "phoneNumbers[type eq \"mobile\"].value pr"));
        Assert.Equal(["home@example.org", "work@example.org"], await UserNamesAsync(api, "emails[type eq \"work\"].value ew \"b.c\" and userName pr"));
        await api.ExpectErrorAsync(HttpStatusCode.BadRequest, "invalidFilter",
            api.GetAsync("/Users?filter=" + Uri.EscapeDataString("emails[type eq \"work\"].bogus eq \"x\"")));
    }

    [Fact]
    public async Task An_address_value_path_selects_users_whose_same_address_matches()
    {
        var api = await ApiAsync("addresses");
        await api.ExpectAsync(HttpStatusCode.Created, api.PostAsync("/Users", """
            {"userName":"office@example.org","addresses":[
              {"type":"work","streetAddress":"1 Main St","locality":"Springfield","postalCode":"12345","country":"US","primary":true},
              {"type":"home","postalCode":"99999"}]}
            """));
        await api.ExpectAsync(HttpStatusCode.Created, api.PostAsync("/Users", """
            {"userName":"remote@example.org","addresses":[{"type":"home","postalCode":"12345"},{"type":"work","postalCode":"99999"}]}
            """));
        await api.ExpectAsync(HttpStatusCode.Created, api.PostAsync("/Users", """{"userName":"none@example.org"}"""));

        // The same element must match both conditions: remote has 12345 only at home.
        Assert.Equal(["office@example.org"], await UserNamesAsync(api, "addresses[type eq \"work\"].postalCode eq \"12345\""));
        Assert.Equal(["remote@example.org"], await UserNamesAsync(api, "addresses[type eq \"work\"].postalCode eq \"99999\""));
        Assert.Equal(["office@example.org"], await UserNamesAsync(api, "addresses[type eq \"WORK\" and locality sw \"spring\"]"));
        Assert.Equal(["office@example.org"], await UserNamesAsync(api, "addresses[primary eq true].country eq \"US\""));
        Assert.Equal(["office@example.org", "remote@example.org"], await UserNamesAsync(api, "addresses pr"));
        Assert.Equal(["none@example.org"], await UserNamesAsync(api, "not (addresses pr)"));
        await api.ExpectErrorAsync(HttpStatusCode.BadRequest, "invalidFilter",
            api.GetAsync("/Users?filter=" + Uri.EscapeDataString("addresses[type eq \"work\"].bogus eq \"x\"")));
    }

    [Fact]
    public async Task Group_members_are_shown_by_display_name_falling_back_to_user_name()
    {
        var api = await ApiAsync("display");
        var named = await api.ExpectAsync(HttpStatusCode.Created, api.PostAsync("/Users", """{"userName":"ann@example.org","displayName":"Ann Example"}"""));
        var unnamed = await api.ExpectAsync(HttpStatusCode.Created, api.PostAsync("/Users", """{"userName":"bob@example.org"}"""));
        var created = await api.ExpectAsync(HttpStatusCode.Created, api.PostAsync("/Groups", $$"""
            {"displayName":"Team","members":[{"value":"{{ScimApi.Id(named)}}","display":"what the client said"},{"value":"{{ScimApi.Id(unnamed)}}"}]}
            """));

        foreach (var group in new[] { created, await api.ExpectAsync(HttpStatusCode.OK, api.GetAsync($"/Groups/{ScimApi.Id(created)}")) })
        {
            var members = group["members"]!.AsArray().ToDictionary(m => (string)m!["value"]!, m => (string?)m!["display"]);
            Assert.Equal("Ann Example", members[ScimApi.Id(named)]);
            Assert.Equal("bob@example.org", members[ScimApi.Id(unnamed)]);
        }

        await api.ExpectAsync(HttpStatusCode.OK, api.PatchAsync($"/Users/{ScimApi.Id(unnamed)}",
            """{"Operations":[{"op":"replace","path":"displayName","value":"Bob Example"}]}"""));
        var listed = await api.ExpectAsync(HttpStatusCode.OK, api.GetAsync("/Groups?filter=" + Uri.EscapeDataString("displayName eq \"Team\"")));
        var displays = listed["Resources"]![0]!["members"]!.AsArray().Select(m => (string?)m!["display"]).Order(StringComparer.Ordinal);
        Assert.Equal(["Ann Example", "Bob Example"], displays);
    }

    [Fact]
    public async Task An_issuer_with_or_without_a_trailing_slash_is_trusted_by_one_organization_only()
    {
        var first = "issuer-a-" + Guid.NewGuid().ToString("N")[..8];
        var second = "issuer-b-" + Guid.NewGuid().ToString("N")[..8];
        await factory.CreateOrganizationClientAsync(first);
        await factory.CreateOrganizationClientAsync(second);
        var host = $"https://login.example.com/{Guid.NewGuid():N}";

        var (exit, _, error) = await AdminCli.RunAsync(factory, "orgs", "oauth", "--org", first, "--issuer", host + "/");
        Assert.True(exit == 0, error);

        foreach (var variant in new[] { host, host + "/", host.Replace("login.example.com", "LOGIN.Example.com", StringComparison.Ordinal) + "//" })
        {
            var (refused, _, message) = await AdminCli.RunAsync(factory, "orgs", "oauth", "--org", second, "--issuer", variant);
            Assert.NotEqual(0, refused);
            Assert.Contains(first, message, StringComparison.Ordinal);
        }

        // The organization that holds it may set it again in another spelling.
        var (again, _, againError) = await AdminCli.RunAsync(factory, "orgs", "oauth", "--org", first, "--issuer", host);
        Assert.True(again == 0, againError);
    }
}

public sealed class IdentityProviderShapeTestsOnSqlite(ScimBridgeFactory factory) : IdentityProviderShapeTests<ScimBridgeFactory>(factory);

public sealed class IdentityProviderShapeTestsOnPostgres(PostgresScimBridgeFactory factory) : IdentityProviderShapeTests<PostgresScimBridgeFactory>(factory);

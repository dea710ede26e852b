using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using ScimBridge.Scim.Tests.Infrastructure;

namespace ScimBridge.Scim.Tests.Admin;

public sealed partial class ScimAccessPageTests(ScimBridgeFactory factory) : IClassFixture<ScimBridgeFactory>
{
    private static string Slug(string name) => name + "-" + Guid.NewGuid().ToString("N")[..6];

    private async Task<HttpStatusCode> ListUsersWithAsync(string secret)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        return (await client.GetAsync("/scim/v2/Users")).StatusCode;
    }

    [Fact]
    public async Task A_token_created_in_the_console_is_shown_once_with_the_tenant_url_works_and_is_listed_with_its_last_use()
    {
        var slug = Slug("access");
        using var owner = await ConsoleSession.SignInAsync(factory, slug, "owner@example.org");
        var (_, page) = await owner.GetAsync("/admin/access");

        var created = await owner.PostFormAsync("/admin/access?handler=Create", page, [new("name", "entra")]);

        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.Contains("no-store", created.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        var html = await created.Content.ReadAsStringAsync();
        var secret = Secret().Match(html).Groups[1].Value;
        Assert.StartsWith("scb_", secret, StringComparison.Ordinal);
        Assert.Contains("/scim/v2</code>", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, await ListUsersWithAsync(secret));

        var (_, later) = await owner.GetAsync("/admin/access");
        Assert.DoesNotContain(secret, later, StringComparison.Ordinal);
        Assert.Contains(secret[..12], later, StringComparison.Ordinal);
        Assert.DoesNotContain("<td class=\"last-used\">never</td>", later, StringComparison.Ordinal);
        var (_, audit) = await owner.GetAsync("/admin/audit?action=scim-token.created");
        Assert.Contains("admin:owner@example.org", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_revoked_in_the_console_is_refused_at_once()
    {
        var slug = Slug("revoke");
        using var owner = await ConsoleSession.SignInAsync(factory, slug, "owner@example.org");
        var (_, page) = await owner.GetAsync("/admin/access");
        var html = await (await owner.PostFormAsync("/admin/access?handler=Create", page, [new("name", "okta")])).Content.ReadAsStringAsync();
        var secret = Secret().Match(html).Groups[1].Value;
        Assert.Equal(HttpStatusCode.OK, await ListUsersWithAsync(secret));
        var tokenId = TokenId().Match(html).Groups[1].Value;

        var revoked = await owner.PostFormAsync("/admin/access?handler=Revoke", html, [new("tokenId", tokenId)]);

        Assert.Equal(HttpStatusCode.Redirect, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await ListUsersWithAsync(secret));
        var (_, audit) = await owner.GetAsync("/admin/audit?action=scim-token.revoked");
        Assert.Contains("admin:owner@example.org", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_oauth_issuer_is_set_and_cleared_and_a_bad_url_is_refused_next_to_the_field()
    {
        var slug = Slug("oauth");
        using var owner = await ConsoleSession.SignInAsync(factory, slug, "owner@example.org");
        var (_, page) = await owner.GetAsync("/admin/access");

        var bad = await owner.PostFormAsync("/admin/access?handler=OAuth", page, [new("issuer", "not a url")]);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("id=\"error-issuer\"", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var issuer = $"https://{slug}.idp.example/";
        Assert.Equal(HttpStatusCode.Redirect, (await owner.PostFormAsync("/admin/access?handler=OAuth", page, [new("issuer", issuer)])).StatusCode);
        var (_, set) = await owner.GetAsync("/admin/access");
        Assert.Contains($"https://{slug}.idp.example", set, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await owner.PostFormAsync("/admin/access?handler=OAuth", set, [new("clear", "true")])).StatusCode);
        Assert.Contains("none: tokens only", (await owner.GetAsync("/admin/access")).Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_organizations_token_cannot_be_revoked_by_id()
    {
        using var theirs = await ConsoleSession.SignInAsync(factory, Slug("theirs"), "owner@theirs.example");
        var (_, theirPage) = await theirs.GetAsync("/admin/access");
        var html = await (await theirs.PostFormAsync("/admin/access?handler=Create", theirPage, [new("name", "theirs")])).Content.ReadAsStringAsync();
        var secret = Secret().Match(html).Groups[1].Value;
        var tokenId = TokenId().Match(html).Groups[1].Value;
        using var mine = await ConsoleSession.SignInAsync(factory, Slug("mine"), "owner@mine.example");
        var (_, myPage) = await mine.GetAsync("/admin/access");

        var response = await mine.PostFormAsync("/admin/access?handler=Revoke", myPage, [new("tokenId", tokenId)]);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain(secret[..12], myPage, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, await ListUsersWithAsync(secret));
    }

    [GeneratedRegex("<code id=\"new-secret\">([^<]+)</code>")]
    private static partial Regex Secret();

    [GeneratedRegex("name=\"tokenId\" value=\"([0-9a-f-]+)\"")]
    private static partial Regex TokenId();
}

using System.Net;
using Microsoft.AspNetCore.Hosting;
using ScimBridge.Scim.Cli;
using ScimBridge.Scim.Tests.Infrastructure;

namespace ScimBridge.Scim.Tests.Admin;

public sealed class LoginLinkTests(ScimBridgeFactory factory) : IClassFixture<ScimBridgeFactory>
{
    [Fact]
    public async Task A_one_time_link_signs_its_person_in_as_Owner_once_and_never_twice()
    {
        var link = await ConsoleSession.LoginLinkAsync(factory, "linkco", "owner@linkco.example");

        using var first = ConsoleSession.Anonymous(factory);
        var used = await first.UseLinkAsync(link);
        Assert.Equal(HttpStatusCode.Redirect, used.StatusCode);
        var (status, html) = await first.GetAsync("/admin/users");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("owner@linkco.example", html, StringComparison.Ordinal);
        Assert.Contains("data-role=\"Owner\"", html, StringComparison.Ordinal);

        using var second = ConsoleSession.Anonymous(factory);
        var again = await second.UseLinkAsync(link);
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.Equal("/admin/denied?reason=link-invalid", again.Headers.Location?.OriginalString);
        var (afterStatus, _) = await second.GetAsync("/admin/users");
        Assert.Equal(HttpStatusCode.Redirect, afterStatus);
    }

    [Fact]
    public async Task A_link_uses_the_services_public_address_unless_the_console_has_its_own()
    {
        await using var behindProxy = factory.WithWebHostBuilder(b => b.UseSetting("ScimBridge:Scim:PublicUrl", "https://scim.example.org/"));
        using var printed = new StringWriter();
        using var errors = new StringWriter();
        var exit = await AdminCommandLine.RunAsync(behindProxy.Services,
            ["admin", "login-link", "--org", "proxyco", "--email", "owner@proxyco.example"], printed, errors);
        Assert.True(exit == 0, errors.ToString());
        Assert.StartsWith("https://scim.example.org/admin/", printed.ToString().TrimEnd().Split('\n')[^1].Trim(), StringComparison.Ordinal);

        await using var ownAddress = behindProxy.WithWebHostBuilder(b => b.UseSetting("ScimBridge:Admin:PublicUrl", "https://console.example.org"));
        using var own = new StringWriter();
        Assert.Equal(0, await AdminCommandLine.RunAsync(ownAddress.Services,
            ["admin", "login-link", "--org", "proxyco", "--email", "owner@proxyco.example"], own, new StringWriter()));
        Assert.StartsWith("https://console.example.org/admin/", own.ToString().TrimEnd().Split('\n')[^1].Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_console_sends_a_person_without_a_session_to_sign_in()
    {
        using var anonymous = ConsoleSession.Anonymous(factory);
        var response = await anonymous.Client.GetAsync("/admin/users?q=ann");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("http://localhost/admin/sign-in?ReturnUrl=", response.Headers.Location?.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_link_for_a_new_person_creates_them_by_hand_and_audits_the_link()
    {
        using var session = await ConsoleSession.SignInAsync(factory, "auditco", "first@auditco.example");
        var (_, html) = await session.GetAsync("/admin/audit");
        Assert.Contains("admin.login-link.created", html, StringComparison.Ordinal);
        Assert.Contains("admin.signed-in", html, StringComparison.Ordinal);
        Assert.Contains("admin:first@auditco.example", html, StringComparison.Ordinal);
        var (_, users) = await session.GetAsync("/admin/users?q=first");
        Assert.Contains("by hand", users, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_deactivated_users_session_stops_at_their_next_request()
    {
        using var first = await ConsoleSession.SignInAsync(factory, "stopco", "first@stopco.example");
        using var second = await ConsoleSession.SignInAsync(factory, "stopco", "second@stopco.example");
        var (_, list) = await first.GetAsync("/admin/users?q=second");
        var secondId = System.Text.RegularExpressions.Regex.Match(list, "/admin/users/([0-9a-f-]{36})").Groups[1].Value;
        var (status, _) = await second.GetAsync("/admin/users");
        Assert.Equal(HttpStatusCode.OK, status);

        var (_, page) = await first.GetAsync($"/admin/users/{secondId}");
        var deactivated = await first.PostFormAsync($"/admin/users/{secondId}?handler=Deactivate", page, []);
        Assert.Equal(HttpStatusCode.Redirect, deactivated.StatusCode);

        var after = await second.Client.GetAsync("/admin/users");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith("http://localhost/admin/sign-in", after.Headers.Location?.OriginalString, StringComparison.Ordinal);
    }
}

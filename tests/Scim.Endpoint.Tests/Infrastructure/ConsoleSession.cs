using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ScimBridge.Scim.Tests.Infrastructure;

/// <summary>
/// A person using the admin console over HTTP, with cookies: signs in with a one-time link made by the real
/// <c>admin login-link</c> command, reads pages, and posts forms with the antiforgery token a page carried.
/// </summary>
public sealed partial class ConsoleSession(HttpClient client) : IDisposable
{
    public HttpClient Client { get; } = client;

    /// <summary>A client that keeps cookies and does not follow redirects, so tests see where they lead.</summary>
    public static ConsoleSession Anonymous(ScimBridgeFactory factory) =>
        new(factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }));

    /// <summary>Makes <paramref name="email"/> an Owner of <paramref name="slug"/> and signs them in through a one-time link.</summary>
    public static async Task<ConsoleSession> SignInAsync(ScimBridgeFactory factory, string slug, string email)
    {
        var link = await LoginLinkAsync(factory, slug, email);
        var session = Anonymous(factory);
        var response = await session.UseLinkAsync(link);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return session;
    }

    /// <summary>Runs <c>admin login-link</c> and returns the link it printed on its last line.</summary>
    public static async Task<Uri> LoginLinkAsync(ScimBridgeFactory factory, string slug, string email)
    {
        var (exit, output, error) = await AdminCli.RunAsync(factory, "admin", "login-link", "--org", slug, "--email", email);
        Assert.True(exit == 0, error + output);
        return new Uri(output.TrimEnd().Split('\n')[^1].Trim());
    }

    /// <summary>Opens the link's page and presses its Sign in button.</summary>
    public async Task<HttpResponseMessage> UseLinkAsync(Uri link)
    {
        var page = await Client.GetAsync(link.PathAndQuery);
        if (page.StatusCode != HttpStatusCode.OK)
        {
            return page;
        }

        return await PostFormAsync(link.PathAndQuery, await page.Content.ReadAsStringAsync(), []);
    }

    public async Task<(HttpStatusCode Status, string Html)> GetAsync(string path)
    {
        var response = await Client.GetAsync(path);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Posts a form to <paramref name="path"/> with the antiforgery token found in <paramref name="pageHtml"/>.</summary>
    public Task<HttpResponseMessage> PostFormAsync(string path, string pageHtml, IEnumerable<KeyValuePair<string, string>> fields) =>
        Client.PostAsync(path, new FormUrlEncodedContent(fields.Append(new("__RequestVerificationToken", AntiforgeryToken(pageHtml)))));

    public static string AntiforgeryToken(string html) =>
        TokenPattern().Match(html) is { Success: true } match ? WebUtility.HtmlDecode(match.Groups[1].Value) : throw new InvalidOperationException("The page has no form with an antiforgery token.");

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    public void Dispose() => Client.Dispose();
}

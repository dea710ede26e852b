using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using ScimBridge.Scim.Tests.Mapping;

namespace ScimBridge.Scim.Tests.Infrastructure;

/// <summary>
/// The service on a real Kestrel socket, signing people in through a <see cref="TestIdentityProvider"/>, and Debian's
/// chromium driven by Playwright (Playwright cannot download its own browsers here; scripts/test.sh installs chromium).
/// </summary>
public class ConsoleBrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public TestIdentityProvider Provider { get; } = new();

    public ConsoleAppFactory App { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>The service's own address, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string BaseUrl { get; private set; } = "";

    public async Task InitializeAsync()
    {
        await Provider.StartAsync();
        App = new ConsoleAppFactory(Provider.Authority, await StartServersAsync());
        await App.InitializeAsync();
        App.UseKestrel(0);
        App.StartServer();
        BaseUrl = App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/')
            .Replace("localhost", "127.0.0.1", StringComparison.Ordinal);
        await WarmUpSignInAsync();
        _playwright = await Playwright.CreateAsync();
        Assertions.SetDefaultExpectTimeout(120_000);
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    /// <summary>Servers a derived fixture needs before the service starts (e.g. slapd), and the settings that point the service at them.</summary>
    protected virtual Task<IDictionary<string, string?>> StartServersAsync() => Task.FromResult<IDictionary<string, string?>>(new Dictionary<string, string?>());

    /// <summary>
    /// The first sign-in makes the provider create its keys and the service fetch the provider's metadata; on a busy
    /// machine that took longer than a browser test waits, so it happens here, once, before any test.
    /// </summary>
    private async Task WarmUpSignInAsync()
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromMinutes(5) };
        (await http.GetAsync(Provider.Authority + ".well-known/openid-configuration")).EnsureSuccessStatusCode();
        (await http.GetAsync(Provider.Authority + ".well-known/jwks")).EnsureSuccessStatusCode();
        var challenge = await http.GetAsync(BaseUrl + "/admin/sign-in?handler=provider");
        if (challenge.StatusCode != System.Net.HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"The console's sign-in answered {challenge.StatusCode} instead of sending the browser to the provider.");
        }
    }

    /// <summary>A fresh browser context (its own cookies) with a page, as a new person at their own computer.</summary>
    public async Task<IPage> NewPersonAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseUrl, AcceptDownloads = true });
        // Generous: the machine that runs the suite may be busy; nothing here waits longer than it must.
        context.SetDefaultTimeout(120_000);
        context.SetDefaultNavigationTimeout(120_000);
        return await context.NewPageAsync();
    }

    public virtual async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (App is not null)
        {
            await ((IAsyncLifetime)App).DisposeAsync();
        }

        await Provider.DisposeAsync();
    }
}

/// <summary>The service configured to sign console users in through the test identity provider.</summary>
public sealed class ConsoleAppFactory(string authority, IDictionary<string, string?>? extra = null) : MappingFactory
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings.Concat(extra ?? new Dictionary<string, string?>()))
    {
        ["ScimBridge:Admin:Authority"] = authority,
        ["ScimBridge:Admin:ClientId"] = TestIdentityProvider.ClientId,
        ["ScimBridge:Admin:ClientSecret"] = TestIdentityProvider.ClientSecret,
        ["ScimBridge:Admin:DisplayName"] = "Test IdP",
        ["ScimBridge:Admin:RequireHttpsMetadata"] = "false",
        ["ScimBridge:Admin:Superusers:0"] = "root@platform.example",
    };
}

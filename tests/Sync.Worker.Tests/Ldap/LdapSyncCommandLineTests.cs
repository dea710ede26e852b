using System.Diagnostics;

namespace ScimBridge.Sync.Tests.Ldap;

/// <summary>
/// The service's executable running <c>sync run</c> in its own process against slapd over ldaps://. A process of its
/// own is what lets libldap read <c>LDAPTLS_CACERT</c>, which it does once per process, at first use.
/// </summary>
public sealed class LdapSyncCommandLineTests : IAsyncLifetime
{
    private SlapdServer _server = null!;
    private LdapTree _tree = null!;
    private string _folder = null!;

    public async Task InitializeAsync()
    {
        _tree = await LdapTree.StartServerAsync("cli", new SlapdOptions { Tls = true });
        _server = _tree.Server;
        _tree.AddUser("adele");
        _tree.AddUser("alex");
        _folder = Path.Combine(Path.GetTempPath(), "scimbridge-ldap-cli-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(_folder);
        var (exit, output) = await RunAsync(new Dictionary<string, string>(), "tokens", "create", "--org", "acme");
        Assert.True(exit == 0, output);
    }

    public Task DisposeAsync()
    {
        _server.Dispose();
        System.IO.Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Sync_run_over_ldaps_trusts_the_CA_named_by_LDAPTLS_CACERT()
    {
        var (exit, output) = await RunAsync(new() { ["LDAPTLS_CACERT"] = _server.CaCertificatePath }, "sync", "run", "--source", "corp-ldap");

        Assert.True(exit == 0, output);
        Assert.Contains("Succeeded", output, StringComparison.Ordinal);
        Assert.Contains("read: full, 2 users", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sync_run_over_ldaps_without_a_trusted_CA_fails_and_says_the_run_failed()
    {
        var (exit, output) = await RunAsync(new(), "sync", "run", "--source", "corp-ldap");

        Assert.Equal(1, exit);
        Assert.Contains("Failed", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_password_fails_sync_run_naming_the_URL_with_no_stack_trace_unless_verbose()
    {
        var environment = new Dictionary<string, string>
        {
            ["LDAPTLS_CACERT"] = _server.CaCertificatePath,
            ["ScimBridge__Sync__Sources__0__Password"] = "not-the-password",
        };

        var (exit, output) = await RunAsync(environment, "sync", "run", "--source", "corp-ldap");
        var (verboseExit, verbose) = await RunAsync(environment, "sync", "run", "--source", "corp-ldap", "--verbose");

        Assert.Equal((1, 1), (exit, verboseExit));
        var reason = Assert.Single(output.Split('\n'), l => l.Contains("reason:", StringComparison.Ordinal));
        Assert.Contains("bind refused", reason, StringComparison.Ordinal);
        Assert.Contains(_server.LdapsUrl, reason, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-password", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
        Assert.Contains("   at ", verbose, StringComparison.Ordinal);
    }

    private async Task<(int Exit, string Output)> RunAsync(Dictionary<string, string> environment, params string[] arguments)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "ScimBridge.Scim.dll");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _folder,
        };
        info.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        const string source = "ScimBridge__Sync__Sources__0__";
        var settings = new Dictionary<string, string>
        {
            ["ScimBridge__Database__ConnectionString"] = $"Data Source={Path.Combine(_folder, "scimbridge.db")}",
            ["ScimBridge__Sync__Enabled"] = "false",
            [source + "Name"] = "corp-ldap",
            [source + "Organization"] = "acme",
            [source + "Type"] = "Ldap",
            [source + "Url"] = _server.LdapsUrl,
            [source + "BindDn"] = SlapdServer.AdminDn,
            [source + "Password"] = SlapdServer.AdminPassword,
            [source + "UserBaseDn"] = _tree.People,
            [source + "GroupBaseDn"] = _tree.Groups,
            [source + "TimeoutSeconds"] = "10",
        };
        // Only what the test gives: an LDAPTLS_CACERT inherited from the machine would decide the outcome.
        info.Environment.Remove("LDAPTLS_CACERT");
        foreach (var (key, value) in settings.Concat(environment))
        {
            info.Environment[key] = value;
        }
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await errors);
    }
}

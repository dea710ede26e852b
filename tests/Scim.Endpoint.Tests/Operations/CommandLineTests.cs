using System.Net.Sockets;
using ScimBridge.Scim.Cli;
using ScimBridge.Scim.Tests.Infrastructure;

namespace ScimBridge.Scim.Tests.Operations;

/// <summary>What the executable does with its command line: commands, help, mistakes, settings.</summary>
public sealed class CommandLineTests(ScimBridgeFactory factory) : IClassFixture<ScimBridgeFactory>, IDisposable
{
    private readonly string _folder = ServiceExecutable.NewFolder();

    private string Database => $"--ScimBridge:Database:ConnectionString=Data Source={Path.Combine(_folder, "scimbridge.db")}";

    [Fact]
    public async Task An_unknown_command_exits_with_2_and_never_listens()
    {
        var port = ServiceExecutable.FreePort();

        var (exit, output, error) = await ServiceExecutable.RunAsync(_folder, "tokn", "list", "--urls", $"http://127.0.0.1:{port}", Database);

        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.StartsWith("Unknown command 'tokn list'.", error, StringComparison.Ordinal);
        Assert.Contains("tokens create --org SLUG", error, StringComparison.Ordinal);
        using var client = new TcpClient();
        await Assert.ThrowsAsync<SocketException>(() => client.ConnectAsync("127.0.0.1", port));
        Assert.False(File.Exists(Path.Combine(_folder, "scimbridge.db")), "a mistyped command must not create a database");
    }

    [Fact]
    public async Task Help_goes_to_standard_output_with_exit_code_0()
    {
        var (exit, output, error) = await ServiceExecutable.RunAsync(_folder, "--help");

        Assert.Equal(0, exit);
        Assert.Equal("", error);
        Assert.Contains("tokens create --org SLUG", output, StringComparison.Ordinal);
        Assert.Contains("worker", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Three_configuration_mistakes_print_three_lines_and_exit_with_1()
    {
        var (exit, output, error) = await ServiceExecutable.RunAsync(_folder,
            Database, "--ScimBridge:Scim:MaxPageSize=0", "--ScimBridge:Scim:DefaultPageSize=-5", "--ScimBridge:Mappings:PollSeconds=0",
            "--urls", $"http://127.0.0.1:{ServiceExecutable.FreePort()}");

        Assert.Equal(1, exit);
        Assert.Equal("", output);
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(3, lines.Length);
        Assert.Contains(lines, l => l.Contains("ScimBridge:Scim:MaxPageSize", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("ScimBridge:Scim:DefaultPageSize", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("ScimBridge:Mappings:PollSeconds", StringComparison.Ordinal));
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tokens", "list", "--org", "x")]
    [InlineData("mappings", "validate")]
    public async Task A_logging_setting_without_its_sink_name_is_one_configuration_line_for_a_command(params string[] command)
    {
        var (exit, output, error) = await ServiceExecutable.RunAsync(_folder, [.. command, Database, "--Serilog:WriteTo:0:Args:outputTemplate={Message}"]);

        Assert.Equal(1, exit);
        Assert.Equal("", output);
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Single(lines);
        Assert.StartsWith("Configuration error: Serilog:", lines[0], StringComparison.Ordinal);
        Assert.Contains("Serilog:WriteTo:0:Name", lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_worker_mode_starts_the_sync_alone_and_says_what_it_will_run()
    {
        using var worker = System.Diagnostics.Process.Start(ServiceExecutable.StartInfo(_folder, "dotnet", [ServiceExecutable.Dll, "worker", Database]))!;
        var lines = new System.Collections.Concurrent.ConcurrentQueue<string>();
        worker.OutputDataReceived += (_, e) => { if (e.Data is not null) { lines.Enqueue(e.Data); } };
        worker.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lines.Enqueue(e.Data); } };
        worker.BeginOutputReadLine();
        worker.BeginErrorReadLine();
        try
        {
            var deadline = System.Diagnostics.Stopwatch.StartNew();
            while (!lines.Any(l => l.Contains("Sync worker started", StringComparison.Ordinal)) && !worker.HasExited && deadline.Elapsed < TimeSpan.FromMinutes(2))
            {
                await Task.Delay(50);
            }

            Assert.Contains(lines, l => l.Contains("Sync worker started with nothing to run", StringComparison.Ordinal));
            Assert.False(worker.HasExited, string.Join('\n', lines));
            Assert.True(File.Exists(Path.Combine(_folder, "scimbridge.db")), "the worker migrates the database it is given");
        }
        finally
        {
            if (!worker.HasExited)
            {
                worker.Kill(entireProcessTree: true);
                await worker.WaitForExitAsync();
            }
        }
    }

    [Fact]
    public async Task A_port_in_use_is_one_line_and_exit_code_1()
    {
        using var taken = new TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;

        var (exit, _, error) = await ServiceExecutable.RunAsync(_folder, Database, "--urls", $"http://127.0.0.1:{port}");

        Assert.Equal(1, exit);
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal($"Cannot listen on http://127.0.0.1:{port}: another process is using it. Stop that process or choose another port (--urls http://localhost:PORT, setting Urls).", Assert.Single(lines));
    }

    [Fact]
    public async Task Mappings_validate_on_the_repository_s_own_folder_exits_with_0()
    {
        var mappings = Path.Combine(ServiceExecutable.RepositoryRoot(), "mappings");

        var (exit, output, error) = await ServiceExecutable.RunAsync(_folder, "mappings", "validate", $"--ScimBridge:Mappings:Path={mappings}", Database);

        Assert.True(exit == 0, output + error);
    }

    [Fact]
    public async Task Settings_on_the_command_line_reach_admin_commands()
    {
        var elsewhere = Path.Combine(_folder, "elsewhere.db");

        var (exit, _, error) = await ServiceExecutable.RunAsync(_folder, "tokens", "create", "--org", "acme", $"--ScimBridge:Database:ConnectionString=Data Source={elsewhere}");

        Assert.True(exit == 0, error);
        Assert.True(File.Exists(elsewhere));
        Assert.False(Directory.Exists(Path.Combine(_folder, "data")));
    }

    [Theory]
    [InlineData("tokens", "create", "--org", "acme", "--nmae", "x")]
    [InlineData("tokens", "list", "--org", "acme", "--force")]
    [InlineData("users", "list")]
    [InlineData("tokens")]
    public async Task A_mistyped_command_or_option_exits_with_2(params string[] args)
    {
        var (exit, output, error) = await AdminCli.RunAsync(factory, args);

        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.StartsWith("Unknown ", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("help")]
    [InlineData("help", "tokens", "create")]
    [InlineData("tokens", "create", "--help")]
    [InlineData("tokens", "--help")]
    public async Task Help_for_all_or_one_command_goes_to_standard_output(params string[] args)
    {
        var (exit, output, error) = await AdminCli.RunAsync(factory, args);

        Assert.Equal(0, exit);
        Assert.Equal("", error);
        Assert.Contains("tokens create --org SLUG", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Bad Slug!")]
    [InlineData("-acme")]
    [InlineData("acme_eu")]
    public async Task An_organization_slug_outside_lowercase_letters_digits_and_hyphens_is_refused(string slug)
    {
        var (exit, output, error) = await AdminCli.RunAsync(factory, "tokens", "create", "--org", slug);

        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Contains("is not a valid organization slug", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Database_backup_writes_a_consistent_copy_and_never_overwrites_a_file()
    {
        await factory.CreateOrganizationClientAsync("backed-up");
        var target = Path.Combine(_folder, "backup.db");

        var (exit, output, error) = await AdminCli.RunAsync(factory, "database", "backup", "--to", target);
        var again = await AdminCli.RunAsync(factory, "database", "backup", "--to", target);

        Assert.True(exit == 0, error);
        Assert.Contains("Backed up the database to", output, StringComparison.Ordinal);
        using (var copy = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={target};Pooling=False"))
        {
            copy.Open();
            using var query = copy.CreateCommand();
            query.CommandText = "SELECT count(*) FROM Organizations WHERE Slug = 'backed-up'";
            Assert.Equal(1L, query.ExecuteScalar());
        }

        Assert.Equal(1, again.ExitCode);
        Assert.Contains("already exists", again.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "--urls", "http://x:1", "--ScimBridge:A=b" }, InvocationMode.Serve)]
    [InlineData(new[] { "--contentRoot", "/etc/scimbridge" }, InvocationMode.Serve)]
    [InlineData(new[] { "--ScimBridge:Database:ConnectionString", "Data Source=x.db", "tokens", "list" }, InvocationMode.Command)]
    [InlineData(new[] { "worker", "--ScimBridge:Sync:Enabled=true" }, InvocationMode.Worker)]
    [InlineData(new[] { "-h" }, InvocationMode.Help)]
    [InlineData(new[] { "--port", "80" }, InvocationMode.UsageError)]
    [InlineData(new[] { "worker", "--now" }, InvocationMode.UsageError)]
    public void The_command_line_splits_into_settings_and_a_mode(string[] args, InvocationMode mode)
    {
        var split = CommandLineSplit.Parse(args);

        Assert.Equal(mode, split.Mode);
        Assert.DoesNotContain(split.Words, w => w.Contains(':', StringComparison.Ordinal) && w.StartsWith("--", StringComparison.Ordinal));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

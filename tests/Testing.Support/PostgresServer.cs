using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ScimBridge.Model.Tests.Builders;

/// <summary>
/// A throw-away PostgreSQL server on 127.0.0.1: initdb into a temp folder, started on a free port, removed at the end.
/// PostgreSQL refuses to run as root, so as root the server runs as the packaged <c>postgres</c> user.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), $"scimbridge-pg-{Guid.NewGuid():N}");
    private Process? _server;

    public int Port { get; } = FreePort();

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=true;Include Error Detail=true";

    public async Task InitializeAsync()
    {
        var bin = System.IO.Directory.GetDirectories("/usr/lib/postgresql").OrderDescending().Select(d => Path.Combine(d, "bin")).FirstOrDefault()
            ?? throw new InvalidOperationException("PostgreSQL is not installed; scripts/test.sh installs it.");
        System.IO.Directory.CreateDirectory(_dataDir);
        var asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            await RunAsync("chown", $"postgres:postgres {_dataDir}");
        }

        var (initdb, initdbArgs) = AsPostgres(asRoot, Path.Combine(bin, "initdb"), $"-D {_dataDir} -U postgres -A trust --no-sync -E UTF8");
        await RunAsync(initdb, initdbArgs);
        var (postgres, postgresArgs) = AsPostgres(asRoot, Path.Combine(bin, "postgres"),
            $"-D {_dataDir} -p {Port} -h 127.0.0.1 -k {_dataDir} -c fsync=off -c max_connections=200");
        _server = Process.Start(new ProcessStartInfo(postgres, postgresArgs)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        _server.BeginErrorReadLine();
        _server.BeginOutputReadLine();
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port);
                await Task.Delay(300);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        throw new InvalidOperationException("PostgreSQL did not start within 30 s.");
    }

    public Task DisposeAsync()
    {
        if (_server is { HasExited: false })
        {
            _server.Kill(entireProcessTree: true);
            _server.WaitForExit(10_000);
        }

        try
        {
            System.IO.Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
        }

        return Task.CompletedTask;
    }

    private static (string Program, string Arguments) AsPostgres(bool asRoot, string program, string arguments) =>
        asRoot ? ("runuser", $"-u postgres -- {program} {arguments}") : (program, arguments);

    private static async Task RunAsync(string program, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {arguments} failed: {error}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

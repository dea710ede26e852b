using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace ScimBridge.Testing;

/// <summary>
/// One throw-away PostgreSQL server per test process on 127.0.0.1: initdb into a temp folder, started on a free port the
/// first time a test asks for it, stopped and removed once the process is gone. Test classes do not share data through
/// it: each takes a database of its own (<see cref="PostgresDatabase"/>). PostgreSQL refuses to run as root, so as root
/// the server runs as the packaged <c>postgres</c> user.
/// </summary>
public sealed class PostgresServer
{
    private static readonly Lazy<Task<PostgresServer>> Shared = new(StartAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), $"scimbridge-pg-{Guid.NewGuid():N}");
    private readonly System.Text.StringBuilder _log = new();
    private Process? _server;

    private PostgresServer()
    {
    }

    public int Port { get; } = FreePort();

    /// <summary>The server of this test process, started on first use.</summary>
    public static Task<PostgresServer> StartedAsync() => Shared.Value;

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=true;Include Error Detail=true";

    /// <summary>Runs one statement in the <c>postgres</c> maintenance database (CREATE / DROP DATABASE).</summary>
    public async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres") + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<PostgresServer> StartAsync()
    {
        var server = new PostgresServer();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Stop();
        try
        {
            await server.StartProcessAsync();
            return server;
        }
        catch
        {
            server.Stop();
            throw;
        }
    }

    private async Task StartProcessAsync()
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
        // Every test class of the process has a database here, each with its own connection pool: room for all of them.
        var (postgres, postgresArgs) = AsPostgres(asRoot, Path.Combine(bin, "postgres"),
            $"-D {_dataDir} -p {Port} -h 127.0.0.1 -k {_dataDir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=500");
        // The test host may be killed once its tests are done, before any exit handler runs: a watchdog beside the server
        // stops it (fast shutdown) and removes its folder when the test process is gone, however that process ended.
        var script = $"""
            {postgres} {postgresArgs} &
            server=$!
            while kill -0 {Environment.ProcessId} 2>/dev/null; do sleep 1; done
            kill -INT "$(head -n 1 '{_dataDir}/postmaster.pid')" 2>/dev/null || kill -INT $server
            wait $server
            rm -rf '{_dataDir}'
            """;
        _server = Process.Start(new ProcessStartInfo("sh")
        {
            ArgumentList = { "-c", script },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        _server.ErrorDataReceived += (_, e) =>
        {
            lock (_log)
            {
                _log.AppendLine(e.Data);
            }
        };
        _server.BeginErrorReadLine();
        _server.BeginOutputReadLine();

        // Ready when it answers a query: a listening socket alone may still say "the database system is starting up".
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await ExecuteAsync("SELECT 1");
                return;
            }
            catch (Exception e) when (e is NpgsqlException or SocketException)
            {
                if (deadline.Elapsed > Poll.Deadline)
                {
                    lock (_log)
                    {
                        throw new InvalidOperationException($"PostgreSQL did not start within {Poll.Deadline.TotalSeconds:0} s: {_log}", e);
                    }
                }
                await Task.Delay(100);
            }
        }
    }

    private void Stop()
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
        catch (UnauthorizedAccessException)
        {
        }
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

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ScimBridge.Bench;

/// <summary>The real service, started as its own process on loopback with a fresh database (<see cref="BenchDatabase"/>).</summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _folder;
    private readonly Func<Task<ServiceProcess>>? _another;

    private ServiceProcess(Process process, string folder, Uri baseAddress, Func<Task<ServiceProcess>>? another = null)
    {
        _process = process;
        _folder = folder;
        BaseAddress = baseAddress;
        _another = another;
    }

    public Uri BaseAddress { get; }

    public long PeakWorkingSetBytes
    {
        get
        {
            _process.Refresh();
            return _process.PeakWorkingSet64;
        }
    }

    /// <summary>CPU time the service process has used so far (user and kernel).</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <param name="prepare">Runs on the service's fresh working folder before it starts (e.g. to write mapping files).</param>
    /// <param name="seed">Runs after <paramref name="prepare"/>, given the SQLite file the service will open (e.g. to fill it).</param>
    /// <param name="settings">Environment variables for the service (configuration keys with <c>__</c>).</param>
    public static async Task<(ServiceProcess Service, string Token)> StartAsync(
        string organization, Action<string>? prepare = null, BenchDatabase? database = null,
        Func<string, Task>? seed = null, Dictionary<string, string>? settings = null)
    {
        database ??= BenchDatabase.Sqlite;
        var folder = Path.Combine(Path.GetTempPath(), $"scimbridge-bench-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(folder);
        prepare?.Invoke(folder);
        var connectionString = await database.CreateAsync(folder);
        if (seed is not null)
        {
            await seed(Path.Combine(folder, "bench.db"));
        }

        var token = (await RunToCompletionAsync(folder, database, connectionString, $"tokens create --org {organization} --name bench")).Trim().Split('\n')[^1].Trim();
        return (await StartServiceAsync(folder, database, connectionString, settings), token);
    }

    /// <summary>Another instance of the service on the same database and mapping files (PostgreSQL: several instances share one).</summary>
    public Task<ServiceProcess> StartAnotherAsync() =>
        _another?.Invoke() ?? throw new InvalidOperationException("Only a service started by StartAsync has a database to share.");

    private static async Task<ServiceProcess> StartServiceAsync(
        string folder, BenchDatabase database, string connectionString, Dictionary<string, string>? settings = null)
    {
        var port = FreePort();
        var info = StartInfo(folder, database, connectionString, $"--urls http://127.0.0.1:{port}");
        foreach (var (key, value) in settings ?? [])
        {
            info.Environment[key] = value;
        }

        var process = await StartAndProbeAsync(info, folder, port, "/healthz", () => StartServiceAsync(folder, database, connectionString, settings));
        return process;
    }

    /// <summary>The SQLite file of a folder made by <see cref="NewFolder"/>.</summary>
    public static string SqliteConnectionString(string folder) => $"Data Source={Path.Combine(folder, "bench.db")}";

    /// <summary>A fresh working folder for a service started with <see cref="StartInAsync"/> (SQLite).</summary>
    public static string NewFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"scimbridge-bench-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>Runs an admin command on the folder's database; returns what it printed.</summary>
    public static Task<string> RunCommandAsync(string folder, string arguments) =>
        RunToCompletionAsync(folder, BenchDatabase.Sqlite, SqliteConnectionString(folder), arguments);

    /// <summary>Starts the service on a folder prepared beforehand (its database already filled).</summary>
    public static Task<ServiceProcess> StartInAsync(string folder)
    {
        var port = FreePort();
        return StartAndProbeAsync(StartInfo(folder, BenchDatabase.Sqlite, SqliteConnectionString(folder), $"--urls http://127.0.0.1:{port}"), folder, port, "/healthz");
    }

    /// <summary>The raw baseline (<see cref="BaselineServer"/>) as its own process, measured the same way as the service.</summary>
    public static async Task<ServiceProcess> StartBaselineAsync(BenchDatabase? database = null)
    {
        database ??= BenchDatabase.Sqlite;
        var folder = Path.Combine(Path.GetTempPath(), $"scimbridge-baseline-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(folder);
        var connectionString = await database.CreateAsync(folder, "baseline");
        var port = FreePort();
        var info = new ProcessStartInfo("dotnet", $"\"{Path.Combine(AppContext.BaseDirectory, "ScimBridge.Bench.dll")}\" baseline-server \"{folder}\" --urls http://127.0.0.1:{port}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = folder,
        };
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment[BaselineServer.DatabaseVariable] = database.IsPostgres ? connectionString : "";
        LoadGenerator.RunServerWithDefaults(info);
        return await StartAndProbeAsync(info, folder, port, "/fixed/Users/probe");
    }

    private static async Task<ServiceProcess> StartAndProbeAsync(
        ProcessStartInfo info, string folder, int port, string probePath, Func<Task<ServiceProcess>>? another = null)
    {
        var process = Process.Start(info)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var service = new ServiceProcess(process, folder, new Uri($"http://127.0.0.1:{port}"), another);
        using var probe = new HttpClient { BaseAddress = service.BaseAddress };
        // Up to a minute: on a machine busy with other builds the service took 27 s to answer its first request.
        for (var attempt = 0; attempt < 600; attempt++)
        {
            try
            {
                if ((await probe.GetAsync(probePath)).IsSuccessStatusCode)
                {
                    return service;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        await service.DisposeAsync();
        throw new InvalidOperationException($"'{info.Arguments}' did not start.");
    }

    private static async Task<string> RunToCompletionAsync(string folder, BenchDatabase database, string connectionString, string arguments)
    {
        using var process = Process.Start(StartInfo(folder, database, connectionString, arguments))!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"'{arguments}' failed: {await process.StandardError.ReadToEndAsync()}");
    }

    private static ProcessStartInfo StartInfo(string folder, BenchDatabase database, string connectionString, string arguments)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "ScimBridge.Scim.dll");
        var info = new ProcessStartInfo("dotnet", $"\"{dll}\" {arguments}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = folder,
        };
        database.Apply(info, connectionString);
        info.Environment["ScimBridge__Mappings__Path"] = Path.Combine(folder, "mappings");
        // As users run it: default log levels (a line per request), the per-organization limiter on, only raised
        // above what the load generator can send.
        info.Environment["ScimBridge__Scim__RequestsPerSecondPerOrganization"] = "1000000";
        info.Environment["ScimBridge__Scim__RequestBurstPerOrganization"] = "1000000";
        info.Environment["ScimBridge__Sync__Sources"] = "";
        LoadGenerator.RunServerWithDefaults(info);
        return info;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            System.IO.Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ScimBridge.Bench;

/// <summary>The real service, started as its own process on loopback with a fresh SQLite file.</summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _folder;

    private ServiceProcess(Process process, string folder, Uri baseAddress)
    {
        _process = process;
        _folder = folder;
        BaseAddress = baseAddress;
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
    public static async Task<(ServiceProcess Service, string Token)> StartAsync(string organization, Action<string>? prepare = null)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"scimbridge-bench-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(folder);
        prepare?.Invoke(folder);
        var token = (await RunToCompletionAsync(folder, $"tokens create --org {organization} --name bench")).Trim().Split('\n')[^1].Trim();

        var port = FreePort();
        return (await StartAndProbeAsync(StartInfo(folder, $"--urls http://127.0.0.1:{port}"), folder, port, "/healthz"), token);
    }

    public const string DatabaseFile = "bench.db";

    /// <summary>A fresh working folder for a service started with <see cref="StartInAsync"/>.</summary>
    public static string NewFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"scimbridge-bench-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>Runs an admin command on the folder's database; returns what it printed.</summary>
    public static Task<string> RunCommandAsync(string folder, string arguments) => RunToCompletionAsync(folder, arguments);

    /// <summary>Starts the service on a folder prepared beforehand (its database already filled).</summary>
    public static Task<ServiceProcess> StartInAsync(string folder)
    {
        var port = FreePort();
        return StartAndProbeAsync(StartInfo(folder, $"--urls http://127.0.0.1:{port}"), folder, port, "/healthz");
    }

    /// <summary>The raw baseline (<see cref="BaselineServer"/>) as its own process, measured the same way as the service.</summary>
    public static Task<ServiceProcess> StartBaselineAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"scimbridge-baseline-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(folder);
        var port = FreePort();
        var info = new ProcessStartInfo("dotnet", $"\"{Path.Combine(AppContext.BaseDirectory, "ScimBridge.Bench.dll")}\" baseline-server \"{folder}\" --urls http://127.0.0.1:{port}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = folder,
        };
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        LoadGenerator.RunServerWithDefaults(info);
        return StartAndProbeAsync(info, folder, port, "/fixed/Users/probe");
    }

    private static async Task<ServiceProcess> StartAndProbeAsync(ProcessStartInfo info, string folder, int port, string probePath)
    {
        var process = Process.Start(info)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var service = new ServiceProcess(process, folder, new Uri($"http://127.0.0.1:{port}"));
        using var probe = new HttpClient { BaseAddress = service.BaseAddress };
        for (var attempt = 0; attempt < 200; attempt++)
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

    private static async Task<string> RunToCompletionAsync(string folder, string arguments)
    {
        using var process = Process.Start(StartInfo(folder, arguments))!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"'{arguments}' failed: {await process.StandardError.ReadToEndAsync()}");
    }

    private static ProcessStartInfo StartInfo(string folder, string arguments)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "ScimBridge.Scim.dll");
        var info = new ProcessStartInfo("dotnet", $"\"{dll}\" {arguments}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = folder,
        };
        info.Environment["ScimBridge__Database__ConnectionString"] = $"Data Source={Path.Combine(folder, DatabaseFile)}";
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

using System.Diagnostics;
using System.Text;

namespace ScimBridge.Scim.Tests.Operations;

/// <summary>
/// Runs the service's executable in a process of its own, as an admin would: from a working folder of the test's
/// choosing, with its exit code, standard output and standard error.
/// </summary>
public static class ServiceExecutable
{
    /// <summary>The built service beside the tests (the project reference copies it here).</summary>
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "ScimBridge.Scim.dll");

    public static ProcessStartInfo StartInfo(string workingFolder, string program, IEnumerable<string> args)
    {
        var info = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingFolder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // The machine's own settings must not leak in: the test decides the service's configuration.
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("ScimBridge__", StringComparison.Ordinal) || k is "ASPNETCORE_URLS" or "DOTNET_URLS").ToList())
        {
            info.Environment.Remove(key);
        }

        return info;
    }

    /// <summary>Runs <c>dotnet ScimBridge.Scim.dll ARGS</c> to its end (a generous deadline, not a timing check).</summary>
    public static Task<(int ExitCode, string Output, string Error)> RunAsync(string workingFolder, params string[] args) =>
        RunAsync(StartInfo(workingFolder, "dotnet", [Dll, .. args]));

    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(ProcessStartInfo info)
    {
        using var process = Process.Start(info)!;
        var output = new StringBuilder();
        var error = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (error) { error.AppendLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{info.FileName} {string.Join(' ', info.ArgumentList)}' did not end within 3 minutes.");
        }

        process.WaitForExit();
        lock (output)
        {
            lock (error)
            {
                return (process.ExitCode, output.ToString(), error.ToString());
            }
        }
    }

    /// <summary>The repository's root (where ScimBridge.sln is), found above the test binaries.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ScimBridge.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("ScimBridge.sln was not found above " + AppContext.BaseDirectory);
    }

    /// <summary>A free TCP port on the loopback address.</summary>
    public static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>A new empty folder below the temp folder.</summary>
    public static string NewFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "scimbridge-ops-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }
}

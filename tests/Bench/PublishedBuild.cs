using System.Diagnostics;
using System.Globalization;

namespace ScimBridge.Bench;

/// <summary>
/// The <c>ScimBridge.Scim.dll</c> that command benchmarks start. Deployments run a published folder (README "Publish",
/// the Dockerfile), self-contained and compiled ahead of time as one composite ReadyToRun image, so by default the
/// benchmark publishes <c>src/Scim.Endpoint</c> once per bench process, exactly as the README says, into
/// <c>published/</c> next to the bench (incremental after the first time) and runs that.
/// <c>SCIMBRIDGE_BENCH_BUILD=framework</c> runs the framework-dependent ReadyToRun folder (<c>-p:SelfContained=false</c>,
/// into <c>published-framework/</c>); <c>SCIMBRIDGE_BENCH_BUILD=plain</c> runs the plain build output (every method
/// compiled just in time at start, as under <c>dotnet run</c>).
/// </summary>
internal static class PublishedBuild
{
    private static readonly Lazy<Task<string>> Published = new(PublishAsync);

    public static bool Plain => string.Equals(Build, "plain", StringComparison.OrdinalIgnoreCase);

    private static bool FrameworkDependent => string.Equals(Build, "framework", StringComparison.OrdinalIgnoreCase);

    private static string? Build => Environment.GetEnvironmentVariable("SCIMBRIDGE_BENCH_BUILD");

    public static Task<string> ScimDllAsync() =>
        Plain ? Task.FromResult(Path.Combine(AppContext.BaseDirectory, "ScimBridge.Scim.dll")) : Published.Value;

    private static async Task<string> PublishAsync()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "ScimBridge.sln")))
        {
            root = Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(root))
                ?? throw new InvalidOperationException("the repository root (ScimBridge.sln) was not found above the bench");
        }

        var output = Path.Combine(AppContext.BaseDirectory, FrameworkDependent ? "published-framework" : "published");
        var clock = Stopwatch.StartNew();
        List<string> arguments = ["publish", Path.Combine(root, "src", "Scim.Endpoint"), "-c", "Release", "-o", output, "-nologo", "-clp:ErrorsOnly"];
        if (FrameworkDependent)
        {
            arguments.Add("-p:SelfContained=false");
        }
        var info = new ProcessStartInfo("dotnet", arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet publish did not start");
        var text = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet publish src/Scim.Endpoint failed: {await text}{await errors}");
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"commands run from a published build ({(FrameworkDependent ? "framework-dependent ReadyToRun, -p:SelfContained=false" : "self-contained composite ReadyToRun, as deployed")}: dotnet publish src/Scim.Endpoint -c Release, {clock.Elapsed.TotalSeconds:F0} s); SCIMBRIDGE_BENCH_BUILD=framework or plain runs the framework-dependent or the plain build"));
        return Path.Combine(output, "ScimBridge.Scim.dll");
    }
}

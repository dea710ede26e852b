using System.Diagnostics;

namespace ScimBridge.Bench;

/// <summary>Runs a request function from several concurrent workers and records each call's latency.</summary>
public static class LoadGenerator
{
    /// <summary>
    /// The load generator's sockets complete inline, on the thread that sees them ready, instead of being handed to the
    /// thread pool: the generator then needs about a third less CPU per request, and that CPU is the measured server's,
    /// on the same two cores. .NET reads this setting only from the environment, at start.
    /// </summary>
    public const string InlineCompletions = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>Whether this process was started with <see cref="InlineCompletions"/>; for the scim case Program starts itself again with it when not.</summary>
    public static bool HasInlineCompletions => Environment.GetEnvironmentVariable(InlineCompletions) == "1";

    /// <summary>Servers under measurement (the service, the baseline) run with .NET's defaults, not the generator's setting.</summary>
    public static void RunServerWithDefaults(System.Diagnostics.ProcessStartInfo server) => server.Environment.Remove(InlineCompletions);

    /// <param name="serverCpu">Reads the server process's CPU time so far; its growth over the run is reported.</param>
    public static async Task<LoadResult> RunAsync(string name, int requests, int concurrency, Func<int, Task<bool>> request, Func<TimeSpan>? serverCpu = null)
    {
        var self = System.Diagnostics.Process.GetCurrentProcess();
        var serverCpuBefore = serverCpu?.Invoke() ?? TimeSpan.Zero;
        var clientCpuBefore = self.TotalProcessorTime;
        var latencies = new double[requests];
        var failures = 0;
        var next = -1;
        var total = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < requests)
            {
                var started = Stopwatch.GetTimestamp();
                bool ok;
                try
                {
                    ok = await request(i);
                }
                catch (HttpRequestException)
                {
                    ok = false;
                }

                latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (!ok)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        });
        await Task.WhenAll(workers);
        total.Stop();
        self.Refresh();
        var serverCpuUsed = (serverCpu?.Invoke() ?? TimeSpan.Zero) - serverCpuBefore;
        return new LoadResult(name, requests, failures, total.Elapsed, latencies, serverCpuUsed, self.TotalProcessorTime - clientCpuBefore);
    }
}

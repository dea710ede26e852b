using System.Diagnostics;

namespace ScimBridge.Bench;

/// <summary>Runs a request function from several concurrent workers and records each call's latency.</summary>
public static class LoadGenerator
{
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

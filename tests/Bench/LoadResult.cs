using System.Globalization;

namespace ScimBridge.Bench;

/// <summary>
/// Throughput and latency percentiles of one measured scenario, with the CPU the server and this load generator spent on
/// it: on a busy machine the wall-clock rate swings, CPU per request is what a change is judged by.
/// </summary>
public sealed record LoadResult(string Name, int Requests, int Failures, TimeSpan Elapsed, double[] LatenciesMs, TimeSpan ServerCpu, TimeSpan ClientCpu)
{
    public double RequestsPerSecond => Requests / Elapsed.TotalSeconds;

    /// <summary>Nearest-rank percentile of the recorded latencies.</summary>
    public double Percentile(double p)
    {
        if (LatenciesMs.Length == 0)
        {
            return double.NaN;
        }

        var sorted = LatenciesMs.Order().ToArray();
        var index = (int)Math.Ceiling(p / 100 * sorted.Length) - 1;
        return sorted[Math.Clamp(index, 0, sorted.Length - 1)];
    }

    private double MicrosPerRequest(TimeSpan cpu) => cpu.TotalMicroseconds / Requests;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Name,-50} {Requests,7} req {RequestsPerSecond,8:F0} req/s  p50 {Percentile(50),7:F2} ms  p99 {Percentile(99),7:F2} ms  max {Percentile(100),7:F2} ms  "
        + $"cpu/req server {MicrosPerRequest(ServerCpu),6:F0} µs client {MicrosPerRequest(ClientCpu),5:F0} µs  failures {Failures}");
}

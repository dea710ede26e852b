using System.Globalization;

namespace ScimBridge.Bench;

/// <summary>Throughput and latency percentiles of one measured scenario.</summary>
public sealed record LoadResult(string Name, int Requests, int Failures, TimeSpan Elapsed, double[] LatenciesMs)
{
    public double RequestsPerSecond => Requests / Elapsed.TotalSeconds;

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

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Name,-52} {Requests,7} req  {RequestsPerSecond,9:F0} req/s  p50 {Percentile(50),7:F2} ms  p99 {Percentile(99),7:F2} ms  max {Percentile(100),7:F2} ms  failures {Failures}");
}

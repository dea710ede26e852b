using System.Globalization;

namespace ScimBridge.Bench;

/// <summary>The scim benchmark's main figures per database in one table, each next to its own raw baseline of the same run.</summary>
public static class ScimSideBySide
{
    public static void Print(IReadOnlyList<ScimBenchmark.Summary> summaries)
    {
        if (summaries.Count < 2)
        {
            return;
        }

        Console.WriteLine($"{"",-44}" + string.Concat(summaries.Select(s => $"{s.Database.Name,24}")));
        Row("POST /Users, req/s", summaries, s => s.Creates.RequestsPerSecond);
        Row("  with a mapping file, req/s", summaries, s => s.MappedCreates.RequestsPerSecond);
        Row("  raw insert baseline, req/s", summaries, s => s.RawCreates.RequestsPerSecond);
        Row("GET /Users?filter=userName eq, req/s", summaries, s => s.Lookups.RequestsPerSecond);
        Row("  two instances, req/s", summaries, s => s.TwoInstanceLookups?.RequestsPerSecond);
        Row("  raw lookup baseline, req/s", summaries, s => s.RawLookups.RequestsPerSecond);
        Row("  bare Kestrel fixed user, req/s", summaries, s => s.FixedUser.RequestsPerSecond);
        Row("PATCH +1,000 members, p50 ms", summaries, s => s.Patches?.Percentile(50));
    }

    private static void Row(string name, IReadOnlyList<ScimBenchmark.Summary> summaries, Func<ScimBenchmark.Summary, double?> value) =>
        Console.WriteLine($"{name,-44}" + string.Concat(summaries.Select(s => value(s) is { } v ? string.Create(CultureInfo.InvariantCulture, $"{v,24:F0}") : $"{"-",24}")));
}

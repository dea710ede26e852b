using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using ScimBridge.Model.Mapping;
using ScimBridge.Model.Persistence;
using ScimBridge.Model.Reconcile;

namespace ScimBridge.Scim.Operations;

/// <summary>
/// ScimBridge's own instruments (meter <c>ScimBridge</c>), beside ASP.NET Core's request metrics:
/// <list type="bullet">
/// <item><c>scimbridge.scim.rate_limited</c>: SCIM requests refused with 429, per organization.</item>
/// <item><c>scimbridge.sync.runs</c> and <c>scimbridge.sync.run.duration</c>: finished sync runs and their seconds, per
/// source and outcome, read from the run history (so runs of <c>sync run</c> and of a separate worker count too).</item>
/// <item><c>scimbridge.sync.run.changes</c>: users created, updated, deactivated and reactivated by those runs.</item>
/// <item><c>scimbridge.mapping.held</c>: organizations whose newest mapping file is held by the guard.</item>
/// <item><c>scimbridge.audit.chain.length</c>: entries in the audit trail.</item>
/// </list>
/// The database is read only when metrics are collected (a scrape of <c>/metrics</c>), at most once a second.
/// </summary>
public sealed class ScimBridgeMetrics : IDisposable
{
    public const string MeterName = "ScimBridge";

    private readonly Meter _meter;
    private readonly Counter<long> _rateLimited;
    private readonly IServiceScopeFactory _scopes;
    private readonly TimeProvider _clock;
    private readonly Lock _gate = new();
    private Snapshot? _snapshot;

    public ScimBridgeMetrics(IMeterFactory meters, IServiceScopeFactory scopes, MappingStore mappings, TimeProvider clock)
    {
        _scopes = scopes;
        _clock = clock;
        _meter = meters.Create(MeterName);
        _rateLimited = _meter.CreateCounter<long>("scimbridge.scim.rate_limited", "{request}", "SCIM requests refused by the per-organization rate limit (429)");
        _meter.CreateObservableCounter("scimbridge.sync.runs", () => Read().Runs.Select(r =>
            new Measurement<long>(r.Count, Tags(r))), "{run}", "Finished sync runs by source and outcome");
        _meter.CreateObservableCounter("scimbridge.sync.run.duration", () => Read().Runs.Select(r =>
            new Measurement<double>(r.Seconds, Tags(r))), "s", "Time spent in finished sync runs by source and outcome");
        _meter.CreateObservableCounter("scimbridge.sync.run.changes", () => Read().Runs.Select(r =>
            new Measurement<long>(r.Changes, Tags(r))), "{user}", "Users created, updated, deactivated or reactivated by sync runs");
        _meter.CreateObservableGauge("scimbridge.mapping.held", () => mappings.Statuses.Count(s => s.Held is not null),
            "{organization}", "Organizations whose newest mapping file is held by the guard until released");
        _meter.CreateObservableGauge("scimbridge.audit.chain.length", () => Read().AuditEntries, "{entry}", "Entries in the hash-chained audit trail");
    }

    public void RateLimited(string? organization) =>
        _rateLimited.Add(1, new KeyValuePair<string, object?>(RequestTags.OrganizationTag, organization ?? "unknown"));

    public void Dispose() => _meter.Dispose();

    private static KeyValuePair<string, object?>[] Tags(RunCount r) =>
        [new("source", r.Source), new("outcome", r.Outcome)];

    /// <summary>One read of the database serves every instrument of a collection.</summary>
    private Snapshot Read()
    {
        lock (_gate)
        {
            var now = _clock.GetUtcNow();
            if (_snapshot is { } fresh && now - fresh.At < TimeSpan.FromSeconds(1))
            {
                return fresh;
            }

            using var scope = _scopes.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<ScimBridgeDbContext>();
            var runs = db.SyncRuns.AsNoTracking()
                .Where(r => r.Status != SyncRunStatus.Running)
                .Select(r => new { r.Source, r.Status, r.StartedAt, r.FinishedAt, Changes = r.Created + r.Updated + r.Deactivated + r.Reactivated })
                .ToList()
                .GroupBy(r => (r.Source, Outcome: r.Status.ToString().ToLowerInvariant()))
                .Select(g => new RunCount(g.Key.Source, g.Key.Outcome, g.Count(),
                    g.Sum(r => r.FinishedAt is { } end ? (end - r.StartedAt).TotalSeconds : 0), g.Sum(r => (long)r.Changes)))
                .ToList();
            var audit = db.AuditEntries.Max(a => (long?)a.Id) ?? 0;
            _snapshot = new Snapshot(now, runs, audit);
            return _snapshot;
        }
    }

    private sealed record RunCount(string Source, string Outcome, long Count, double Seconds, long Changes);

    private sealed record Snapshot(DateTimeOffset At, IReadOnlyList<RunCount> Runs, long AuditEntries);
}

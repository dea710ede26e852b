using Microsoft.EntityFrameworkCore;
using Quartz;
using ScimBridge.Model.Organizations;
using ScimBridge.Model.Persistence;
using ScimBridge.Model.Reconcile;
using ScimBridge.Sync.Scheduling;
using ScimBridge.Sync.Sources;

namespace ScimBridge.Scim.Admin.Sync;

/// <summary>One configured source of the organization as the sync page lists it.</summary>
/// <param name="NextFire">The scheduler's next fire time; computed from the cron when no scheduler runs in this process.</param>
/// <param name="Scheduled">Whether this process's scheduler fires the source (false: on demand only, or scheduled elsewhere).</param>
public sealed record SourceRow(ConfiguredSource Source, DateTimeOffset? NextFire, bool Scheduled, SyncRun? LastRun)
{
    public string Name => Source.Name;
}

/// <summary>
/// The organization's sync sources (from <c>ScimBridge:Sync:Sources</c>, those whose Organization is this one) and their
/// runs. Runs are found by source name and organization, so a source of another organization never shows.
/// </summary>
public sealed class SyncOverview(SyncSourceCatalog catalog, ScimBridgeDbContext db, IServiceProvider services, TimeProvider clock)
{
    public const int RunsPerPage = 50;

    /// <summary>The organization's sources, in configuration order.</summary>
    public IReadOnlyList<ConfiguredSource> SourcesOf(string slug) =>
        [.. catalog.Sources.Where(s => Organization.NormalizeSlug(s.Options.Organization) == slug)];

    /// <summary>One source of the organization by name, or null (also for another organization's source).</summary>
    public ConfiguredSource? Find(string slug, string? name) =>
        string.IsNullOrEmpty(name) ? null : SourcesOf(slug).FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));

    public async Task<IReadOnlyList<SourceRow>> SourceRowsAsync(string slug, CancellationToken ct)
    {
        var scheduler = services.GetService<ISchedulerFactory>() is { } factory ? await factory.GetScheduler(ct) : null;
        var rows = new List<SourceRow>();
        foreach (var source in SourcesOf(slug))
        {
            var last = await Runs(slug, source.Name).OrderByDescending(r => r.Id).FirstOrDefaultAsync(ct);
            DateTimeOffset? next = null;
            var scheduled = false;
            if (scheduler is not null && await scheduler.GetTrigger(new TriggerKey(source.Name, DirectorySyncJob.Group), ct) is { } trigger)
            {
                next = trigger.NextFireTimeUtc;
                scheduled = true;
            }
            else if (source.Options.Enabled && CronExpression.TryParse(source.Options.Schedule ?? "", out var cron) && cron is not null)
            {
                next = cron.GetNextValidTimeAfter(clock.GetUtcNow());
            }

            rows.Add(new SourceRow(source, next, scheduled, last));
        }

        return rows;
    }

    /// <summary>The organization's runs, newest first, paged by id; <paramref name="source"/> narrows to one source.</summary>
    public async Task<(IReadOnlyList<SyncRun> Runs, long? OlderThan)> RunsAsync(string slug, string? source, long? before, CancellationToken ct)
    {
        var query = Scoped(db.SyncRuns.AsNoTracking(), slug);
        if (!string.IsNullOrEmpty(source))
        {
            query = query.Where(r => r.Source == source);
        }

        if (before is { } id)
        {
            query = query.Where(r => r.Id < id);
        }

        var page = await query.OrderByDescending(r => r.Id).Take(RunsPerPage + 1).ToListAsync(ct);
        var more = page.Count > RunsPerPage;
        if (more)
        {
            page.RemoveAt(page.Count - 1);
        }

        return (page, more ? page[^1].Id : null);
    }

    /// <summary>One run of the organization, or null when it does not exist or belongs to another organization.</summary>
    public Task<SyncRun?> RunAsync(string slug, long id, CancellationToken ct) =>
        Scoped(db.SyncRuns.AsNoTracking(), slug).FirstOrDefaultAsync(r => r.Id == id, ct);

    /// <summary>
    /// The audit entries a run wrote (its actor is <c>sync:SOURCE#ID</c>), newest first, at most <paramref name="limit"/>,
    /// and whether there are more. Newest first on purpose: the walk down the (organization, id) index starts where a
    /// recent run's entries are and stops after <paramref name="limit"/> of them; a count would read every entry.
    /// </summary>
    public async Task<(IReadOnlyList<Model.Audit.AuditEntry> Entries, bool More)> ChangesAsync(Guid organizationId, SyncRun run, int limit, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(run);
        var actor = Model.Audit.AuditActor.SyncRun(run.Source, run.Id).ToString();
        var entries = await db.AuditEntries.AsNoTracking()
            .Where(a => a.OrganizationId == organizationId && a.Actor == actor)
            .OrderByDescending(a => a.Id).Take(limit + 1).ToListAsync(ct);
        var more = entries.Count > limit;
        if (more)
        {
            entries.RemoveAt(entries.Count - 1);
        }

        return (entries, more);
    }

    private IQueryable<SyncRun> Runs(string slug, string source) => Scoped(db.SyncRuns.AsNoTracking(), slug).Where(r => r.Source == source);

    private IQueryable<SyncRun> Scoped(IQueryable<SyncRun> runs, string slug)
    {
        // A run is this organization's when it was recorded for it; the source's configured organization decides runs
        // that failed before the organization was looked up (OrganizationId still null).
        var organizationId = db.Organizations.Where(o => o.Slug == slug).Select(o => o.Id);
        return runs.Where(r => (r.OrganizationId != null && organizationId.Contains(r.OrganizationId.Value))
            || (r.OrganizationId == null && r.Organization == slug));
    }
}

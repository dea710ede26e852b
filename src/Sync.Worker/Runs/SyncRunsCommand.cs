using System.Globalization;
using Microsoft.EntityFrameworkCore;
using ScimBridge.Model.Commands;
using ScimBridge.Model.Persistence;

namespace ScimBridge.Sync.Runs;

/// <summary><c>sync runs [--source NAME] [--limit N]</c>: the most recent runs, newest first.</summary>
public sealed class SyncRunsCommand(ScimBridgeDbContext db, SyncRunLeases leases) : IAdminCommand
{
    public IReadOnlyList<string> Verb { get; } = ["sync", "runs"];

    public string Usage => "sync runs [--source NAME] [--limit N]   list recent sync runs, newest first";

    public async Task<int> RunAsync(CommandArguments arguments, TextWriter output, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(output);
        var limitText = arguments.Option("limit") ?? "20";
        if (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) || limit < 1)
        {
            throw new CommandUsageException($"--limit must be a positive number, not '{limitText}'.");
        }
        var source = arguments.Option("source");

        // A run whose process died shows as Abandoned, with what it had applied, rather than as running forever.
        await leases.AbandonExpiredAsync(db, string.IsNullOrEmpty(source) ? null : source, ct);
        var query = db.SyncRuns.AsNoTracking();
        if (!string.IsNullOrEmpty(source))
        {
            query = query.Where(r => r.Source == source);
        }
        var runs = await query.OrderByDescending(r => r.Id).Take(limit).ToListAsync(ct);
        if (runs.Count == 0)
        {
            await output.WriteLineAsync(source is null ? "No sync runs yet." : $"No sync runs of '{source}' yet.");
            return 0;
        }

        await output.WriteLineAsync("id      source              started (UTC)        took     status     kind   created updated deact. react. members errors");
        foreach (var run in runs)
        {
            var took = run.FinishedAt is { } finished ? $"{(finished - run.StartedAt).TotalSeconds:F1}s" : "-";
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{run.Id,-7} {run.Source,-19} {run.StartedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss}  {took,-8} {run.Status,-10} {(run.Full ? "full" : "delta"),-6} {run.Created,7} {run.Updated,7} {run.Deactivated,6} {run.Reactivated,6} {run.MembershipsChanged,7} {run.ErrorCount,6}"));
            if (run.AbortedReason is not null)
            {
                await output.WriteLineAsync($"        {run.AbortedReason}");
            }
        }
        return 0;
    }
}

using System.Globalization;
using ScimBridge.Model.Reconcile;

namespace ScimBridge.Sync.Runs;

/// <summary>
/// Writes what a run did, as <c>sync run</c> prints it and the console shows it: for a dry run the full diff (users,
/// groups and members by name, then the team and role changes the mapping file would make per user), then the counts,
/// the reason a run stopped and its errors.
/// </summary>
public static class SyncRunReportWriter
{
    public static async Task WriteAsync(SyncRunReport report, bool dryRun, TextWriter output, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(output);
        var (run, plan) = report;
        if (dryRun && plan is not null)
        {
            await output.WriteLineAsync($"Dry run of '{run.Source}': {(plan.IsEmpty ? "no changes" : "these changes would be made")}:");
            await plan.WriteDiffAsync(output, ct);
            if (report.Mapping is { } mapping)
            {
                await MappingChangeLines.WriteAsync(mapping, report.MappingUserNames, output, ct);
            }
        }

        await WriteSummaryAsync(run, output);
    }

    public static async Task WriteSummaryAsync(SyncRun run, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(output);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Sync run {run.Id} of '{run.Source}' (organization '{run.Organization}'): {run.Status}{(run.Forced ? " (forced)" : "")}"));
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"  read: {(run.Full ? "full" : "delta")}, {run.UsersRead} users"));
        var would = run.Status == SyncRunStatus.DryRun || (run.Status == SyncRunStatus.Aborted && !run.Forced && run.Created + run.Updated + run.Deactivated + run.Reactivated + run.GroupsChanged + run.MembershipsChanged > 0)
            ? "would be: " : "";
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"  {would}created {run.Created}, updated {run.Updated}, deactivated {run.Deactivated}, reactivated {run.Reactivated}, groups changed {run.GroupsChanged}, memberships changed {run.MembershipsChanged}, errors {run.ErrorCount}"));
        if (run.AbortedReason is not null)
        {
            await output.WriteLineAsync($"  reason: {run.AbortedReason}");
        }
        foreach (var error in (run.Errors ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            await output.WriteLineAsync($"  error: {error}");
        }
    }
}

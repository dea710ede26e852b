using System.Globalization;
using ScimBridge.Model.Commands;
using ScimBridge.Model.Reconcile;
using ScimBridge.Sync.Sources;

namespace ScimBridge.Sync.Runs;

/// <summary><c>sync run --source NAME [--dry-run] [--force] [--full]</c>: runs one source now and prints what the run did.</summary>
public sealed class SyncRunCommand(SyncSourceCatalog catalog, SyncRunner runner) : IAdminCommand
{
    public IReadOnlyList<string> Verb { get; } = ["sync", "run"];

    public string Usage => "sync run --source NAME [--dry-run] [--force] [--full] [--verbose]   run one sync source now; exit code 1 when the run failed or was aborted";

    public async Task<int> RunAsync(CommandArguments arguments, TextWriter output, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(output);
        var name = arguments.Required("source");
        var source = catalog.Find(name) ?? throw new CommandUsageException(
            $"No sync source named '{name}'. Configured: {(catalog.Sources.Count == 0 ? "none (see ScimBridge:Sync:Sources)" : string.Join(", ", catalog.Sources.Select(s => s.Name)))}.");
        var problems = catalog.Validate();
        if (problems.Count > 0)
        {
            await output.WriteLineAsync("The sync configuration has problems:");
            foreach (var problem in problems)
            {
                await output.WriteLineAsync($"  {problem}");
            }
            return 2;
        }

        var request = new SyncRunRequest { DryRun = arguments.Flag("dry-run"), Force = arguments.Flag("force"), Full = arguments.Flag("full") };
        var report = await runner.RunAsync(source, request, ct);
        var (run, plan) = report;
        if (request.DryRun && plan is not null)
        {
            await output.WriteLineAsync($"Dry run of '{run.Source}': {(plan.IsEmpty ? "no changes" : "these changes would be made")}:");
            await plan.WriteDiffAsync(output, ct);
            if (report.Mapping is { } mapping)
            {
                await MappingChangeLines.WriteAsync(mapping, report.MappingUserNames, output, ct);
            }
        }
        await WriteSummaryAsync(run, output);
        if (report.Failure is { } failure && arguments.Flag("verbose"))
        {
            await output.WriteLineAsync(failure.ToString());
        }
        return run.Status is SyncRunStatus.Succeeded or SyncRunStatus.DryRun ? 0 : 1;
    }

    internal static async Task WriteSummaryAsync(SyncRun run, TextWriter output)
    {
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

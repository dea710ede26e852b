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
        var run = report.Run;
        await SyncRunReportWriter.WriteAsync(report, request.DryRun, output, ct);
        if (report.Failure is { } failure && arguments.Flag("verbose"))
        {
            await output.WriteLineAsync(failure.ToString());
        }
        return run.Status is SyncRunStatus.Succeeded or SyncRunStatus.DryRun ? 0 : 1;
    }
}

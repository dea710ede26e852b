using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ScimBridge.Model.Reconcile;
using ScimBridge.Scim.Admin.SignIn;
using ScimBridge.Sync.Sources;

namespace ScimBridge.Scim.Admin.Sync;

/// <summary>
/// <c>/admin/sync</c>: the organization's directory sources (type, schedule, next fire, last run), "Test connection"
/// (bind or sign in and count, writes nothing), "Run now" and "Dry run" (in the background, through the same runner as
/// <c>sync run</c>), and the run history with counts and abort reasons.
/// </summary>
public sealed class IndexModel(SyncOverview overview, SourceConnectionTester tester, ConsoleSyncRuns runs, SyncAudit audit, AdminSession session) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "source")]
    public string? Source { get; set; }

    [BindProperty(SupportsGet = true, Name = "before")]
    public long? Before { get; set; }

    public IReadOnlyList<SourceRow> Sources { get; private set; } = [];

    public IReadOnlyList<SyncRun> Runs { get; private set; } = [];

    public long? OlderThan { get; private set; }

    /// <summary>The connection test just made, and of which source.</summary>
    public (string Source, ConnectionTestResult Result)? Tested { get; private set; }

    public AdminSession Session => session;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostTestAsync(string? name, CancellationToken ct)
    {
        if (overview.Find(session.OrganizationSlug, name) is not { } source)
        {
            return NotFound();
        }

        Tested = (source.Name, await tester.TestAsync(source, ct));
        await LoadAsync(ct);
        return Page();
    }

    public Task<IActionResult> OnPostRunAsync(string? name, CancellationToken ct) => StartAsync(name, StartedKind.Run, ct);

    public Task<IActionResult> OnPostDryRunAsync(string? name, CancellationToken ct) => StartAsync(name, StartedKind.DryRun, ct);

    private async Task<IActionResult> StartAsync(string? name, StartedKind kind, CancellationToken ct)
    {
        if (overview.Find(session.OrganizationSlug, name) is not { } source)
        {
            return NotFound();
        }

        var started = runs.Start(source, session.OrganizationId, kind, session.PersonName, full: false);
        await audit.StartedAsync(started, null, null, ct);
        return Redirect($"{AdminConsole.BasePath}/sync/started/{started.Id}");
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Sources = await overview.SourceRowsAsync(session.OrganizationSlug, ct);
        (Runs, OlderThan) = await overview.RunsAsync(session.OrganizationSlug, Source, Before, ct);
    }
}

using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ScimBridge.Model.Audit;
using ScimBridge.Model.Reconcile;
using ScimBridge.Scim.Admin.SignIn;

namespace ScimBridge.Scim.Admin.Sync;

/// <summary>
/// <c>/admin/sync/runs/{id}</c>: one run — counts, why it stopped, its errors and its changes (the audit entries it
/// wrote); for an aborted run an Owner may force it: the source runs again past the deactivation guard, audited.
/// </summary>
public sealed class RunModel(SyncOverview overview, ConsoleSyncRuns runs, SyncAudit audit, AdminSession session) : PageModel
{
    public const int ChangesShown = 500;

    public SyncRun Run { get; private set; } = null!;

    public IReadOnlyList<AuditEntry> Changes { get; private set; } = [];

    /// <summary>The run wrote more entries than are shown.</summary>
    public bool MoreChanges { get; private set; }

    public AdminSession Session => session;

    /// <summary>Whether the run may be forced: it was aborted (by the guard) and its source is still configured.</summary>
    public bool CanBeForced => Run.Status == SyncRunStatus.Aborted && overview.Find(session.OrganizationSlug, Run.Source) is not null;

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct) => await LoadAsync(id, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostForceAsync(long id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }

        if (!session.IsOwner)
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }

        if (!CanBeForced)
        {
            ModelState.AddModelError("force", $"Run {id} was not aborted ({Run.Status}); only an aborted run can be forced.");
            Response.StatusCode = StatusCodes.Status409Conflict;
            return Page();
        }

        var started = runs.Start(overview.Find(session.OrganizationSlug, Run.Source)!, session.OrganizationId, StartedKind.ForcedRun, session.PersonName, Run.Full);
        await audit.StartedAsync(started, Run.Id, Run.AbortedReason, ct);
        return Redirect($"{AdminConsole.BasePath}/sync/started/{started.Id}");
    }

    private async Task<bool> LoadAsync(long id, CancellationToken ct)
    {
        if (await overview.RunAsync(session.OrganizationSlug, id, ct) is not { } run)
        {
            return false;
        }

        Run = run;
        (Changes, MoreChanges) = await overview.ChangesAsync(session.OrganizationId, run, ChangesShown, ct);
        return true;
    }
}

using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ScimBridge.Scim.Admin.SignIn;

namespace ScimBridge.Scim.Admin.Sync;

/// <summary>
/// <c>/admin/sync/started/{id}</c>: a run started from the console — running (the page reloads itself every few
/// seconds, no script needed), then its outcome and, for a dry run, the full diff as <c>sync run --dry-run</c> prints it.
/// </summary>
public sealed class StartedModel(ConsoleSyncRuns runs, AdminSession session) : PageModel
{
    public const int RefreshSeconds = 2;

    public StartedRun Started { get; private set; } = null!;

    public IActionResult OnGet(Guid id)
    {
        if (runs.Find(session.OrganizationId, id) is not { } started)
        {
            return NotFound();
        }

        Started = started;
        return Page();
    }
}

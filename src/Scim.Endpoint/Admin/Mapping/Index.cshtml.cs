using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ScimBridge.Model.Mapping;
using ScimBridge.Scim.Admin.Shared;
using ScimBridge.Scim.Admin.SignIn;
using ScimBridge.Scim.Admin.Users;

namespace ScimBridge.Scim.Admin.Mapping;

/// <summary>
/// <c>/admin/mapping</c>: the organization's mapping file — the version in force, a held version with who it would
/// take access from and a Release button (what <c>mappings apply --force</c> does, through
/// <see cref="MappingApplication"/>), a rejected file's errors, the preview of the file on disk, and "why does this
/// user have this role".
/// </summary>
public sealed class IndexModel(MappingOverview overview, MappingApplication application, AdminSession session, UserSearch search, UserDetails details) : PageModel
{
    /// <summary>The "why" lookup: a userName, e-mail or name prefix.</summary>
    [BindProperty(SupportsGet = true, Name = "who")]
    public string? Who { get; set; }

    /// <summary>Preview the file on disk even when it is the version in force.</summary>
    [BindProperty(SupportsGet = true, Name = "preview")]
    public bool Preview { get; set; }

    public MappingState State { get; private set; } = null!;

    public AdminSession Session => session;

    /// <summary>Users the lookup matched when it matched several (or none).</summary>
    public IReadOnlyList<UserRow> WhoMatches { get; private set; } = [];

    /// <summary>The one user the lookup found, with their teams and the reason for each role.</summary>
    public UserDetail? WhoDetail { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        return Page();
    }

    /// <summary>Applies the file on disk past the guard; <paramref name="version"/> is the version the person saw, so a newer edit is never released unseen.</summary>
    public async Task<IActionResult> OnPostReleaseAsync(string? version, CancellationToken ct)
    {
        await LoadAsync(ct);
        if (State.OnDisk is not { } file || file.Version != version)
        {
            return Fail("The file on disk changed since the page was shown; check what it would change and release again.");
        }

        var result = await application.ApplyAsync(session.OrganizationId, session.OrganizationSlug, force: true, session.Actor,
            "released in the admin console past the guard", ct);
        switch (result.Status)
        {
            case MappingApplyStatus.Applied:
                TempData["Notice"] = $"Released {result.File!.Describe()}: {result.Plan!.Summary()}.";
                return RedirectToPage();
            case MappingApplyStatus.AlreadyApplied:
                TempData["Notice"] = $"{result.File!.Describe()} is already in force; nothing to do.";
                return RedirectToPage();
            default:
                await LoadAsync(ct);
                return Fail(string.Join(" ", result.Errors.Select(e => e.ToString()).DefaultIfEmpty("There is no valid mapping file to release.")));
        }
    }

    private PageResult Fail(string message)
    {
        ModelState.AddModelError("release", message);
        Response.StatusCode = StatusCodes.Status409Conflict;
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        State = await overview.ReadAsync(session.OrganizationId, session.OrganizationSlug, Preview, ct);
        if (string.IsNullOrWhiteSpace(Who))
        {
            return;
        }

        var found = await search.SearchAsync(session.OrganizationId, new UserQuery(Who, null, null, null, "userName", false, 1, 20), ct);
        var exact = found.Rows.Where(u => string.Equals(u.UserName, Who.Trim(), StringComparison.OrdinalIgnoreCase)
            || string.Equals(u.Email, Who.Trim(), StringComparison.OrdinalIgnoreCase)).ToList();
        var one = exact.Count == 1 ? exact[0] : found.Rows.Count == 1 ? found.Rows[0] : null;
        if (one is not null)
        {
            WhoDetail = await details.FindAsync(session.OrganizationId, one.Id, ct);
        }
        else
        {
            WhoMatches = found.Rows;
        }
    }
}

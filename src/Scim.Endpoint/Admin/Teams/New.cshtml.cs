using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ScimBridge.Model.Organizations;
using ScimBridge.Model.Provisioning;
using ScimBridge.Model.Teams;
using ScimBridge.Scim.Admin.SignIn;

namespace ScimBridge.Scim.Admin.Teams;

/// <summary><c>/admin/teams/new</c>: name and settings of a new team, created through <see cref="TeamProvisioning"/>.</summary>
public sealed class NewModel(TeamProvisioning teams, NumberProvisioning numbers, AdminSession session) : PageModel
{
    [BindProperty]
    public TeamForm Form { get; set; } = new();

    /// <summary>The organization's numbers, to pick base numbers from.</summary>
    public IReadOnlyList<OrganizationNumber> Numbers { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!session.CanChange)
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }

        Numbers = await numbers.ListAsync(session.OrganizationId, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var (settings, problems) = Form.ToSettings();
        if (problems.Count > 0)
        {
            // Fields that are not even numbers, reported together with everything else the rules find.
            TeamChanges.AddTo(ModelState, problems.Concat(TeamSettingsRules.CheckName(Form.Name)).Concat(TeamSettingsRules.Check(settings).Problems));
            return await RefusedAsync(ct);
        }

        try
        {
            var team = await teams.RetryOnConflictAsync(async () =>
            {
                var created = await teams.CreateAsync(Form.Name ?? "", settings, session.Provisioning(), ct);
                await teams.SaveAsync(ct);
                return created;
            }, ct);
            TempData["Notice"] = $"Team '{team.Name}' created.";
            return RedirectToPage("Detail", new { id = team.Id });
        }
        catch (DirectoryException e)
        {
            TeamChanges.AddTo(ModelState, e);
            return await RefusedAsync(ct);
        }
    }

    private async Task<PageResult> RefusedAsync(CancellationToken ct)
    {
        Numbers = await numbers.ListAsync(session.OrganizationId, ct);
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}

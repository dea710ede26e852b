using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using ScimBridge.Model.Organizations;
using ScimBridge.Model.Persistence;
using ScimBridge.Model.Provisioning;
using ScimBridge.Model.Teams;
using ScimBridge.Model.Users;
using ScimBridge.Scim.Admin.SignIn;

namespace ScimBridge.Scim.Admin.Users;

/// <summary>
/// <c>/admin/users/{id}</c>: a user's profile, state, who manages them, teams with the reason for each role, groups and
/// history; deactivate / reactivate, hand-set team memberships, organization role (Owners). Every change goes through a
/// Provisioning operation with the signed-in person as actor.
/// </summary>
public sealed class DetailModel(
    UserDetails details, ScimBridgeDbContext db, AdminSession session, UserProvisioning users,
    TeamMembershipProvisioning memberships, OrganizationRoleProvisioning roles) : PageModel
{
    public UserDetail Detail { get; private set; } = null!;

    public IReadOnlyList<(Guid Id, string Name)> Teams { get; private set; } = [];

    public AdminSession Session => session;

    /// <summary>An identity provider or sync source manages the user and may undo a change made here.</summary>
    public bool ManagedElsewhere => Detail.User.ManagedBy != ManagedBySources.Manual;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) => await LoadAsync(id, ct) ? Page() : NotFound();

    public Task<IActionResult> OnPostDeactivateAsync(Guid id, CancellationToken ct) =>
        ChangeAsync(id, user => Task.FromResult(users.Deactivate(user, session.Provisioning())), "Deactivated: they cannot sign in any more; nothing was deleted.", ct);

    public Task<IActionResult> OnPostReactivateAsync(Guid id, CancellationToken ct) =>
        ChangeAsync(id, user => Task.FromResult(users.Reactivate(user, session.Provisioning())), "Reactivated: they can sign in again.", ct);

    public async Task<IActionResult> OnPostSetMembershipAsync(Guid id, Guid teamId, TeamRole role, CancellationToken ct)
    {
        var team = await db.Teams.FirstOrDefaultAsync(t => t.Id == teamId && t.OrganizationId == session.OrganizationId, ct);
        if (team is null)
        {
            return NotFound();
        }

        return await ChangeAsync(id, user => memberships.SetManualAsync(user, team, role, session.Provisioning(), ct),
            $"{team.Name}: role set by hand to {role.ToString().ToUpperInvariant()}.", ct);
    }

    public async Task<IActionResult> OnPostRemoveMembershipAsync(Guid id, Guid teamId, CancellationToken ct)
    {
        var team = await db.Teams.FirstOrDefaultAsync(t => t.Id == teamId && t.OrganizationId == session.OrganizationId, ct);
        if (team is null)
        {
            return NotFound();
        }

        return await ChangeAsync(id, user => memberships.RemoveManualAsync(user, team, session.Provisioning(), ct),
            $"{team.Name}: the hand-set membership was removed.", ct);
    }

    public async Task<IActionResult> OnPostSetRoleAsync(Guid id, string? role, CancellationToken ct)
    {
        if (!session.IsOwner)
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }

        OrganizationRole? parsed = null;
        if (!string.IsNullOrEmpty(role))
        {
            if (!Enum.TryParse<OrganizationRole>(role, ignoreCase: true, out var value) || !Enum.IsDefined(value))
            {
                return await FailAsync(id, "role", $"'{role}' is not an organization role.", ct);
            }

            parsed = value;
        }

        return await ChangeAsync(id, user => roles.SetRoleAsync(user, parsed, session.Provisioning(), ct),
            $"Organization role set to {parsed?.ToString() ?? "the platform's default"}.", ct);
    }

    private async Task<IActionResult> ChangeAsync(Guid id, Func<User, Task<bool>> change, string notice, CancellationToken ct)
    {
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == id && u.OrganizationId == session.OrganizationId && u.DeletedAt == null, ct);
        if (user is null)
        {
            return NotFound();
        }

        try
        {
            var changed = await change(user);
            await db.SaveChangesAsync(ct);
            TempData["Notice"] = changed ? notice : "Nothing to change.";
            return RedirectToPage(new { id });
        }
        catch (DirectoryException e)
        {
            db.DiscardUnsaved();
            return await FailAsync(id, "action", e.Message, ct);
        }
    }

    private async Task<IActionResult> FailAsync(Guid id, string field, string message, CancellationToken ct)
    {
        ModelState.AddModelError(field, message);
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return await LoadAsync(id, ct) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        if (await details.FindAsync(session.OrganizationId, id, ct) is not { } detail)
        {
            return false;
        }

        Detail = detail;
        if (session.CanChange)
        {
            Teams = (await db.Teams.AsNoTracking().Where(t => t.OrganizationId == session.OrganizationId && t.DeletedAt == null)
                    .OrderBy(t => t.NormalizedName).Select(t => new { t.Id, t.Name }).ToListAsync(ct))
                .Select(t => (t.Id, t.Name)).ToList();
        }

        return true;
    }

    public static string Why(MembershipSource source) => source.Origin == MembershipOrigin.Manual
        ? $"{source.Cause ?? "set by hand"} on {source.Since.UtcDateTime:yyyy-MM-dd}"
        : source.Cause ?? "derived from a mapping file";

    public static string ManagerLabel(string managedBy) => IndexModel.ManagerLabel(managedBy);
}

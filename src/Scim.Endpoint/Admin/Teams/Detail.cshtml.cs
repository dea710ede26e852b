using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using ScimBridge.Model.Organizations;
using ScimBridge.Model.Persistence;
using ScimBridge.Model.Provisioning;
using ScimBridge.Model.Teams;
using ScimBridge.Model.Users;
using ScimBridge.Scim.Admin.Shared;
using ScimBridge.Scim.Admin.SignIn;

namespace ScimBridge.Scim.Admin.Teams;

/// <summary>
/// <c>/admin/teams/{id}</c>: a team's settings, rename, soft delete and reactivation, and its members with role and
/// source. Changes go through <see cref="TeamProvisioning"/> and <see cref="TeamMembershipProvisioning"/> with the
/// signed-in person as actor; a form filled from an older version of the team is refused, not applied over a newer one.
/// </summary>
public sealed class DetailModel(
    ScimBridgeDbContext db, AdminSession session, TeamSearch search, TeamProvisioning teams,
    TeamMembershipProvisioning memberships, UserProvisioning users, NumberProvisioning numbers) : PageModel
{
    [BindProperty]
    public TeamForm Form { get; set; } = new();

    [BindProperty(SupportsGet = true, Name = "page")]
    public int? PageNumber { get; set; }

    public Team Team { get; private set; } = null!;

    /// <summary>The organization's numbers, to pick base numbers from.</summary>
    public IReadOnlyList<OrganizationNumber> Numbers { get; private set; } = [];

    public Paged<TeamMemberRow> Members { get; private set; } = new([], 0, 1, Paging.DefaultPageSize);

    public AdminSession Session => session;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }

        Form = TeamForm.From(Team);
        return Page();
    }

    public async Task<IActionResult> OnPostSettingsAsync(Guid id, CancellationToken ct)
    {
        var (settings, problems) = Form.ToSettings();
        if (problems.Count > 0)
        {
            TeamChanges.AddTo(ModelState, problems.Concat(TeamSettingsRules.Check(settings).Problems));
            return await RefusedAsync(id, keepForm: true, ct);
        }

        return await ChangeAsync(id, team => teams.ChangeSettingsAsync(team, settings, Form.Version, session.Provisioning(), ct),
            "Settings saved.", keepForm: true, ct);
    }

    public Task<IActionResult> OnPostRenameAsync(Guid id, string? name, int version, CancellationToken ct) =>
        ChangeAsync(id, team => teams.RenameAsync(team, name ?? "", version, session.Provisioning(), ct), $"Renamed to '{name?.Trim()}'.", keepForm: false, ct);

    public Task<IActionResult> OnPostDeleteAsync(Guid id, int version, CancellationToken ct) =>
        ChangeAsync(id, team => Task.FromResult(teams.Delete(team, version, session.Provisioning())),
            "Team deleted: it left the active lists; its settings and members are kept, and you can reactivate it.", keepForm: false, ct);

    public Task<IActionResult> OnPostRestoreAsync(Guid id, int version, CancellationToken ct) =>
        ChangeAsync(id, team => Task.FromResult(teams.Restore(team, version, session.Provisioning())), "Team reactivated.", keepForm: false, ct);

    public async Task<IActionResult> OnPostAddMemberAsync(Guid id, string? member, TeamRole role, CancellationToken ct)
    {
        var wanted = Model.Users.User.Normalize(member ?? "");
        if (wanted.Length == 0)
        {
            ModelState.AddModelError("member", "Enter the userName or e-mail address of the person to add.");
            return await RefusedAsync(id, keepForm: false, ct);
        }

        return await MemberChangeAsync(id, async team =>
        {
            var user = await db.Users.Where(u => u.OrganizationId == session.OrganizationId && u.DeletedAt == null)
                .FirstOrDefaultAsync(u => u.NormalizedUserName == wanted || u.Emails.Any(e => e.NormalizedValue == wanted), ct)
                ?? throw new InvalidValueException($"No user '{member!.Trim()}' in this organization (give the userName or an e-mail address).");
            var changed = await memberships.SetManualAsync(user, team, role, session.Provisioning(), ct);
            return (changed, $"{user.UserName}: {role.ToString().ToUpperInvariant()} in {team.Name}, set by hand.");
        }, ct);
    }

    public Task<IActionResult> OnPostRemoveMemberAsync(Guid id, Guid userId, CancellationToken ct) =>
        MemberChangeAsync(id, async team =>
        {
            var user = await db.Users.FirstOrDefaultAsync(u => u.Id == userId && u.OrganizationId == session.OrganizationId && u.DeletedAt == null, ct)
                ?? throw new ResourceNotFoundException("No such user in this organization.");
            var changed = await memberships.RemoveManualAsync(user, team, session.Provisioning(), ct);
            return (changed, $"{user.UserName}: the hand-set membership of {team.Name} was removed.");
        }, ct);

    /// <summary>A change of the team itself, under the team's conflict retry; a refusal shows on the settings form.</summary>
    private Task<IActionResult> ChangeAsync(Guid id, Func<Team, Task<bool>> change, string notice, bool keepForm, CancellationToken ct) =>
        ApplyAsync(id, teams.RetryOnConflictAsync, async team => (await change(team), notice), teams.SaveAsync, e =>
        {
            TeamChanges.AddTo(ModelState, e);
            // A stale form shows the team as it is now, so the person sees the other change before making theirs again.
            return keepForm && e is not StaleVersionException;
        }, ct);

    /// <summary>Hand-set memberships change the user (its SCIM version moves), so they run under the user's conflict retry.</summary>
    private Task<IActionResult> MemberChangeAsync(Guid id, Func<Team, Task<(bool Changed, string Notice)>> change, CancellationToken ct) =>
        ApplyAsync(id, users.RetryOnConflictAsync, change, db.SaveChangesAsync, e =>
        {
            ModelState.AddModelError("member", e.Message);
            return false;
        }, ct);

    /// <summary>
    /// Runs <paramref name="change"/> on the team under <paramref name="retry"/>, saves, and shows its notice; a refused
    /// change is shown by <paramref name="refused"/>, which answers whether the form keeps what the person typed.
    /// </summary>
    private async Task<IActionResult> ApplyAsync(
        Guid id,
        Func<Func<Task<(bool Changed, string Notice)>>, CancellationToken, Task<(bool Changed, string Notice)>> retry,
        Func<Team, Task<(bool Changed, string Notice)>> change,
        Func<CancellationToken, Task> save,
        Func<DirectoryException, bool> refused,
        CancellationToken ct)
    {
        try
        {
            var (changed, notice) = await retry(async () =>
            {
                var team = await FindAsync(id, ct);
                var result = await change(team);
                await save(ct);
                return result;
            }, ct);
            TempData["Notice"] = changed ? notice : "Nothing to change.";
            return RedirectToPage(new { id });
        }
        catch (ResourceNotFoundException)
        {
            return NotFound();
        }
        catch (DirectoryException e)
        {
            db.DiscardUnsaved();
            return await RefusedAsync(id, refused(e), ct);
        }
    }

    private async Task<Team> FindAsync(Guid id, CancellationToken ct) =>
        await db.Teams.FirstOrDefaultAsync(t => t.Id == id && t.OrganizationId == session.OrganizationId, ct)
        ?? throw new ResourceNotFoundException($"No team with id '{id}' exists in this organization.");

    private async Task<IActionResult> RefusedAsync(Guid id, bool keepForm, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }

        if (!keepForm)
        {
            Form = TeamForm.From(Team);
        }

        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        // Another organization's team is answered exactly as one that does not exist.
        var team = await db.Teams.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id && t.OrganizationId == session.OrganizationId, ct);
        if (team is null)
        {
            return false;
        }

        Team = team;
        Numbers = await numbers.ListAsync(session.OrganizationId, ct);
        Members = await search.MembersAsync(id, Paging.Number(PageNumber), Paging.DefaultPageSize, ct);
        return true;
    }

    public static string Source(TeamMemberRow member) => member.Origin == MembershipOrigin.Manual
        ? $"{member.Cause ?? "set by hand"} on {member.Since.UtcDateTime:yyyy-MM-dd}"
        : member.Cause ?? "derived from a mapping file";
}

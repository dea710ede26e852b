using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using ScimBridge.Model.Audit;
using ScimBridge.Model.Organizations;
using ScimBridge.Model.Persistence;
using ScimBridge.Scim.Admin.Shared;
using ScimBridge.Scim.Admin.SignIn;

namespace ScimBridge.Scim.Admin.Organizations;

/// <summary>
/// The organizations the signed-in person may enter: every one for a superuser, else those where a directory user
/// matches them (provider id or verified e-mail) with a role that admits them.
/// </summary>
[WithoutOrganization]
[ViewerMayPost]
public sealed class IndexModel(ScimBridgeDbContext db, AdminSession session, AdminIdentityMatcher matcher, AuditLog audit) : PageModel
{
    public sealed record Choice(Guid OrganizationId, string Slug, string Name, OrganizationRole Role, Guid? UserId, bool Current);

    public IReadOnlyList<Choice> Choices { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Choices = await ChoicesAsync(ct);

    public async Task<IActionResult> OnPostAsync(Guid organizationId, CancellationToken ct)
    {
        var choice = (await ChoicesAsync(ct)).FirstOrDefault(c => c.OrganizationId == organizationId);
        if (choice is null)
        {
            return NotFound();
        }

        if (session.IsSuperuser)
        {
            audit.Record(choice.OrganizationId, session.Actor, "admin.signed-in", "organization", choice.OrganizationId.ToString(), cause: "platform superuser");
            await db.SaveChangesAsync(ct);
        }

        await HttpContext.SignInAsync(AdminAuthentication.CookieScheme, AdminPrincipal.Switched(User, choice.UserId, session.IsSuperuser ? choice.OrganizationId : null));
        return Redirect(AdminConsole.BasePath + "/users");
    }

    private async Task<IReadOnlyList<Choice>> ChoicesAsync(CancellationToken ct)
    {
        if (session.IsSuperuser)
        {
            return await db.Organizations.AsNoTracking().OrderBy(o => o.Slug)
                .Select(o => new Choice(o.Id, o.Slug, o.Name, OrganizationRole.Owner, null, o.Id == session.OrganizationId))
                .ToListAsync(ct);
        }

        var candidates = await matcher.FindAsync(User.FindFirstValue(AdminClaims.ProviderId), User.FindFirstValue(AdminClaims.Email), ct);
        var choices = candidates.Where(c => c.Admitted)
            .Select(c => new Choice(c.OrganizationId, c.OrganizationSlug, c.OrganizationName, c.Role!.Value, c.UserId, c.OrganizationId == session.OrganizationId))
            .ToList();
        if (session.HasOrganization && choices.All(c => !c.Current))
        {
            choices.Insert(0, new Choice(session.OrganizationId, session.OrganizationSlug, session.OrganizationName, session.Role, session.UserId, true));
        }

        return choices;
    }
}

using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ScimBridge.Model.Organizations;
using ScimBridge.Model.Persistence;
using ScimBridge.Model.Users;
using ScimBridge.Scim.Options;

namespace ScimBridge.Scim.Admin.SignIn;

/// <summary>
/// Runs on every request that carries the console's cookie: reads the person's user, organization and role from the
/// directory and fills <see cref="AdminSession"/>, or ends the session when the user was deactivated, deleted, or lost
/// the role that admits them (or a superuser was taken off the list).
/// </summary>
public static class AdminSessionValidator
{
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var principal = context.Principal;
        var services = context.HttpContext.RequestServices;
        var session = services.GetRequiredService<AdminSession>();
        var db = services.GetRequiredService<ScimBridgeDbContext>();
        var options = services.GetRequiredService<IOptionsMonitor<AdminOptions>>().CurrentValue;
        var ct = context.HttpContext.RequestAborted;
        var name = principal?.FindFirstValue(AdminClaims.Name) ?? "";

        if (principal?.FindFirst(AdminClaims.Superuser) is not null)
        {
            if (!Superusers.Includes(options, principal.FindFirstValue(AdminClaims.ProviderId), principal.FindFirstValue(AdminClaims.Email)))
            {
                await EndAsync(context);
                return;
            }

            session.SignedIn(name, null, superuser: true);
            if (Guid.TryParse(principal.FindFirstValue(AdminClaims.OrganizationId), out var chosen)
                && await db.Organizations.AsNoTracking().FirstOrDefaultAsync(o => o.Id == chosen, ct) is { } organization)
            {
                session.InOrganization(organization, OrganizationRole.Owner);
            }

            return;
        }

        if (!Guid.TryParse(principal?.FindFirstValue(AdminClaims.UserId), out var userId))
        {
            await EndAsync(context);
            return;
        }

        var found = await db.Users.IgnoreAutoIncludes().AsNoTracking()
            .Where(u => u.Id == userId)
            .Join(db.Organizations, u => u.OrganizationId, o => o.Id, (u, o) => new { u.Status, u.DeletedAt, u.OrganizationRole, Organization = o })
            .FirstOrDefaultAsync(ct);
        if (found is null || found.Status == UserStatus.Deactivated || found.DeletedAt is not null || !AdminSession.Admits(found.OrganizationRole))
        {
            await EndAsync(context);
            return;
        }

        session.SignedIn(name, userId, superuser: false);
        session.InOrganization(found.Organization, found.OrganizationRole!.Value);
    }

    private static async Task EndAsync(CookieValidatePrincipalContext context)
    {
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(AdminAuthentication.CookieScheme);
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ScimBridge.Model.Audit;
using ScimBridge.Model.Organizations;
using ScimBridge.Scim.Organizations;
using ScimBridge.Model.Persistence;
using ScimBridge.Model.Provisioning;
using ScimBridge.Model.Users;
using ScimBridge.Scim.Options;

namespace ScimBridge.Scim.Admin.SignIn;

/// <summary>
/// One-time sign-in links: the bootstrap into the console without an identity provider. A link signs one user in once,
/// within a few minutes; only its hash is stored, and issuing and using it are audited.
/// </summary>
public sealed class LoginLinks(
    ScimBridgeDbContext db, UserProvisioning users, OrganizationRoleProvisioning roles, AuditLog audit, TimeProvider clock,
    IOptions<AdminOptions> options, IConfiguration configuration)
{
    public const string Path = AdminConsole.BasePath + "/login/";

    /// <summary>
    /// Makes <paramref name="email"/> an Owner of the organization (creating the user by hand when none has that e-mail or
    /// userName) and returns a link that signs them in once.
    /// </summary>
    public async Task<(string Url, User User, bool Created)> IssueAsync(Organization organization, string email, AuditActor actor, CancellationToken ct)
    {
        var normalized = User.Normalize(email);
        var user = await db.Users
            .Where(u => u.OrganizationId == organization.Id && u.DeletedAt == null)
            .Where(u => u.NormalizedUserName == normalized || u.Emails.Any(e => e.NormalizedValue == normalized))
            .OrderBy(u => u.NormalizedUserName == normalized ? 0 : 1)
            .FirstOrDefaultAsync(ct);
        var context = new ProvisioningContext(organization.Id, actor, ManagedBySources.Manual, "one-time console sign-in link");
        var created = user is null;
        if (user is null)
        {
            user = await users.CreateAsync(new UserProfile
            {
                UserName = email.Trim(),
                Emails = [new EmailAddress(email.Trim(), "work", true, null)],
            }, context, ct);
        }
        else if (!user.Active)
        {
            throw new InvalidValueException($"The user '{user.UserName}' is deactivated; reactivate them before they sign in.");
        }

        if (user.OrganizationRole != OrganizationRole.Owner)
        {
            await roles.SetRoleAsync(user, OrganizationRole.Owner, context, ct);
        }

        var (link, secret) = AdminLoginLink.Issue(organization.Id, user.Id, clock.GetUtcNow(), TimeSpan.FromMinutes(options.Value.LoginLinkMinutes));
        db.AdminLoginLinks.Add(link);
        audit.Record(organization.Id, actor, "admin.login-link.created", UserProvisioning.TargetType, user.Id.ToString(),
            after: new { expiresAt = link.ExpiresAt }, cause: context.Cause);
        await db.SaveChangesAsync(ct);
        return (PublicBaseUrl() + Path + secret, user, created);
    }

    /// <summary>Uses the link once: returns its user, or null when it is unknown, used or expired. Atomic under concurrent use.</summary>
    public async Task<User?> RedeemAsync(string secret, CancellationToken ct)
    {
        var hash = AdminLoginLink.HashSecret(secret);
        var now = clock.GetUtcNow();
        var taken = await db.AdminLoginLinks
            .Where(l => l.Hash == hash && l.UsedAt == null && l.ExpiresAt > now)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.UsedAt, now), ct);
        if (taken != 1)
        {
            return null;
        }

        var link = await db.AdminLoginLinks.AsNoTracking().FirstAsync(l => l.Hash == hash, ct);
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == link.UserId && u.DeletedAt == null, ct);
        if (user is null || !user.Active)
        {
            return null;
        }

        audit.Record(user.OrganizationId, AuditActor.Admin(NameOf(user)), "admin.signed-in", UserProvisioning.TargetType, user.Id.ToString(),
            cause: "one-time sign-in link");
        await db.SaveChangesAsync(ct);
        return user;
    }

    /// <summary>Whether the link would sign someone in now (to show its page), without using it.</summary>
    public async Task<(User User, Organization Organization)?> PeekAsync(string secret, CancellationToken ct)
    {
        var hash = AdminLoginLink.HashSecret(secret);
        var now = clock.GetUtcNow();
        var found = await db.AdminLoginLinks.AsNoTracking()
            .Where(l => l.Hash == hash && l.UsedAt == null && l.ExpiresAt > now)
            .Join(db.Users, l => l.UserId, u => u.Id, (l, u) => u)
            .Join(db.Organizations, u => u.OrganizationId, o => o.Id, (u, o) => new { User = u, Organization = o })
            .FirstOrDefaultAsync(ct);
        return found is null ? null : (found.User, found.Organization);
    }

    /// <summary>The name the audit trail shows for a person: their e-mail address, else their userName.</summary>
    public static string NameOf(User user) => user.PrimaryEmail ?? user.UserName;

    /// <summary><c>ScimBridge:Admin:PublicUrl</c> when the console has an address of its own, else the service's (see <see cref="TenantUrl"/>).</summary>
    private string PublicBaseUrl() =>
        string.IsNullOrWhiteSpace(options.Value.PublicUrl)
            ? TenantUrl.Origin(configuration).Url
            : TenantUrl.LocalhostForWildcard(options.Value.PublicUrl).TrimEnd('/');
}

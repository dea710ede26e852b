using System.Security.Claims;

namespace ScimBridge.Scim.Admin.SignIn;

/// <summary>Builds the principal the console's cookie carries.</summary>
public static class AdminPrincipal
{
    public static ClaimsPrincipal ForUser(Guid userId, string name, string method, string? providerId = null, string? email = null) =>
        Build(name, method, providerId, email, new Claim(AdminClaims.UserId, userId.ToString()));

    public static ClaimsPrincipal ForSuperuser(string name, string? providerId, string? email, Guid? organizationId = null) =>
        Build(name, "oidc", providerId, email,
            [new Claim(AdminClaims.Superuser, "true"), .. organizationId is { } id ? new[] { new Claim(AdminClaims.OrganizationId, id.ToString()) } : []]);

    /// <summary>The same person, now in another organization (as another of their users, or as a superuser who chose one).</summary>
    public static ClaimsPrincipal Switched(ClaimsPrincipal current, Guid? userId, Guid? organizationId)
    {
        var kept = current.Claims
            .Where(c => c.Type is not (AdminClaims.UserId or AdminClaims.OrganizationId))
            .Select(c => new Claim(c.Type, c.Value))
            .ToList();
        if (userId is { } user)
        {
            kept.Add(new Claim(AdminClaims.UserId, user.ToString()));
        }

        if (organizationId is { } organization)
        {
            kept.Add(new Claim(AdminClaims.OrganizationId, organization.ToString()));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(kept, AdminAuthentication.CookieScheme, AdminClaims.Name, null));
    }

    private static ClaimsPrincipal Build(string name, string method, string? providerId, string? email, params Claim[] extra)
    {
        var claims = new List<Claim> { new(AdminClaims.Name, name), new(AdminClaims.Method, method) };
        if (providerId is not null)
        {
            claims.Add(new Claim(AdminClaims.ProviderId, providerId));
        }

        if (email is not null)
        {
            claims.Add(new Claim(AdminClaims.Email, email));
        }

        claims.AddRange(extra);
        return new ClaimsPrincipal(new ClaimsIdentity(claims, AdminAuthentication.CookieScheme, AdminClaims.Name, null));
    }
}

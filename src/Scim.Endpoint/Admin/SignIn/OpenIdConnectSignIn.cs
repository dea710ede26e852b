using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;
using ScimBridge.Model.Audit;
using ScimBridge.Model.Persistence;
using ScimBridge.Scim.Options;

namespace ScimBridge.Scim.Admin.SignIn;

/// <summary>
/// Turns the identity provider's answer into a console session: the person must be a directory user of an organization
/// (matched by stable id, else by verified e-mail) whose role admits them, or a configured superuser.
/// </summary>
public static class OpenIdConnectSignIn
{
    public static async Task OnTokenValidatedAsync(TokenValidatedContext context)
    {
        // With the userinfo endpoint in use, the decision waits for its claims (OnUserInformationReceivedAsync).
        if (context.Principal is { } principal && !context.Options.GetClaimsFromUserInfoEndpoint)
        {
            await SignInAsync(context, principal);
        }
    }

    /// <summary>Claims the ID token lacked (Okta without custom claims) arrive from the userinfo endpoint; decide again with them.</summary>
    public static async Task OnUserInformationReceivedAsync(UserInformationReceivedContext context)
    {
        if (context.Principal?.Identity is ClaimsIdentity identity)
        {
            foreach (var property in context.User.RootElement.EnumerateObject())
            {
                if (identity.FindFirst(property.Name) is null)
                {
                    identity.AddClaim(new Claim(property.Name, property.Value.ToString()));
                }
            }

            await SignInAsync(context, context.Principal);
        }
    }

    public static Task OnRemoteFailureAsync(RemoteFailureContext context)
    {
        var logger = context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(OpenIdConnectSignIn));
        logger.LogWarning("Admin console sign-in through OpenID Connect failed: {Reason}", context.Failure?.Message);
        context.Response.Redirect(AdminConsole.BasePath + "/denied?reason=" + DeniedReasons.ProviderFailed);
        context.HandleResponse();
        return Task.CompletedTask;
    }

    private static async Task SignInAsync<TOptions>(RemoteAuthenticationContext<TOptions> context, ClaimsPrincipal principal)
        where TOptions : AuthenticationSchemeOptions
    {
        var services = context.HttpContext.RequestServices;
        var options = services.GetRequiredService<IOptions<AdminOptions>>().Value;
        var ct = context.HttpContext.RequestAborted;
        var providerId = principal.FindFirst(options.IdClaim)?.Value;
        var email = principal.FindFirst(options.EmailClaim)?.Value;
        var verified = options.TrustEmailWithoutVerifiedClaim
            || string.Equals(principal.FindFirst(options.EmailVerifiedClaim)?.Value, "true", StringComparison.OrdinalIgnoreCase);
        var verifiedEmail = verified ? email : null;
        var name = email ?? principal.FindFirst("preferred_username")?.Value ?? principal.FindFirst(options.NameClaim)?.Value ?? providerId ?? "unknown";

        if (Superusers.Includes(options, providerId, verifiedEmail))
        {
            context.Principal = AdminPrincipal.ForSuperuser(name, providerId, verifiedEmail);
            return;
        }

        var candidates = await services.GetRequiredService<AdminIdentityMatcher>().FindAsync(providerId, verifiedEmail, ct);
        var admitted = candidates.FirstOrDefault(c => c.Admitted);
        if (admitted is null)
        {
            var reason = candidates.Count == 0
                ? (email is not null && !verified ? DeniedReasons.EmailNotVerified : DeniedReasons.NotAUser)
                : candidates.All(c => !c.Active) ? DeniedReasons.Deactivated : DeniedReasons.Role;
            context.Response.Redirect(AdminConsole.BasePath + "/denied?reason=" + reason);
            context.HandleResponse();
            return;
        }

        context.Principal = AdminPrincipal.ForUser(admitted.UserId, name, "oidc", providerId, verifiedEmail);
        var db = services.GetRequiredService<ScimBridgeDbContext>();
        services.GetRequiredService<AuditLog>().Record(admitted.OrganizationId, AuditActor.Admin(name), "admin.signed-in", "user",
            admitted.UserId.ToString(), cause: admitted.ByProviderId ? $"OpenID Connect, matched by {options.IdClaim}" : "OpenID Connect, matched by verified e-mail");
        await db.SaveChangesAsync(ct);
    }
}

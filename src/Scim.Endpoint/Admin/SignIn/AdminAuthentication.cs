using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using ScimBridge.Scim.Options;

namespace ScimBridge.Scim.Admin.SignIn;

/// <summary>The console's session cookie and, when configured, OpenID Connect sign-in (authorization code flow with PKCE).</summary>
public static class AdminAuthentication
{
    public const string CookieScheme = "admin";
    public const string OpenIdConnectScheme = "admin-oidc";

    /// <summary>Authenticated through the console's cookie; what the person may see and do is decided per request from the directory.</summary>
    public const string Policy = "admin";

    public static IServiceCollection AddAdminAuthentication(this IServiceCollection services, AdminOptions options)
    {
        var authentication = services.AddAuthentication()
            .AddCookie(CookieScheme, cookie =>
            {
                cookie.Cookie.Name = "scimbridge-admin";
                cookie.Cookie.Path = AdminConsole.BasePath;
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Lax;
                cookie.Cookie.SecurePolicy = SecurePolicy(options);
                cookie.LoginPath = AdminConsole.BasePath + "/sign-in";
                cookie.AccessDeniedPath = AdminConsole.BasePath + "/denied";
                cookie.ExpireTimeSpan = TimeSpan.FromHours(options.SessionHours);
                cookie.SlidingExpiration = true;
                cookie.Events.OnValidatePrincipal = AdminSessionValidator.ValidateAsync;
                var toLogin = cookie.Events.OnRedirectToLogin;
                var toDenied = cookie.Events.OnRedirectToAccessDenied;
                cookie.Events.OnRedirectToLogin = c => Api.AdminApi.AnswerInsteadOfRedirect(c, StatusCodes.Status401Unauthorized, toLogin);
                cookie.Events.OnRedirectToAccessDenied = c => Api.AdminApi.AnswerInsteadOfRedirect(c, StatusCodes.Status403Forbidden, toDenied);
            });
        if (options.OpenIdConnectEnabled)
        {
            authentication.AddOpenIdConnect(OpenIdConnectScheme, oidc =>
            {
                oidc.SignInScheme = CookieScheme;
                oidc.Authority = options.Authority;
                oidc.ClientId = options.ClientId;
                oidc.ClientSecret = string.IsNullOrEmpty(options.ClientSecret) ? null : options.ClientSecret;
                oidc.ResponseType = OpenIdConnectResponseType.Code;
                oidc.UsePkce = true;

                // The provider sends the browser back with a top-level GET, so the correlation and nonce cookies can
                // stay SameSite=Lax instead of None (which browsers refuse without TLS).
                oidc.ResponseMode = OpenIdConnectResponseMode.Query;
                oidc.CorrelationCookie.SameSite = SameSiteMode.Lax;
                oidc.NonceCookie.SameSite = SameSiteMode.Lax;
                oidc.CorrelationCookie.SecurePolicy = SecurePolicy(options);
                oidc.NonceCookie.SecurePolicy = SecurePolicy(options);
                oidc.CallbackPath = AdminConsole.BasePath + "/signin-oidc";
                oidc.SignedOutCallbackPath = AdminConsole.BasePath + "/signout-callback-oidc";
                oidc.RequireHttpsMetadata = options.RequireHttpsMetadata;
                oidc.GetClaimsFromUserInfoEndpoint = options.GetClaimsFromUserInfoEndpoint;
                oidc.MapInboundClaims = false;
                oidc.SaveTokens = false;
                oidc.Scope.Clear();
                foreach (var scope in options.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    oidc.Scope.Add(scope);
                }

                oidc.Events.OnTokenValidated = OpenIdConnectSignIn.OnTokenValidatedAsync;
                oidc.Events.OnUserInformationReceived = OpenIdConnectSignIn.OnUserInformationReceivedAsync;
                oidc.Events.OnRemoteFailure = OpenIdConnectSignIn.OnRemoteFailureAsync;
            });
        }

        services.AddAuthorizationBuilder()
            .AddPolicy(Policy, p => p.AddAuthenticationSchemes(CookieScheme).RequireAuthenticatedUser());
        return services;
    }

    private static CookieSecurePolicy SecurePolicy(AdminOptions options) =>
        options.SecureCookie == "Always" ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
}

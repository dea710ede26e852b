using System.Collections.Concurrent;
using System.Net;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace ScimBridge.Scim.Tests.Infrastructure;

/// <summary>A person the test identity provider knows: the claims it puts in their ID token.</summary>
public sealed record ProviderUser(string Login, string Subject, string Email, bool EmailVerified, string Name);

/// <summary>
/// A real OpenID Connect provider (OpenIddict) on 127.0.0.1: discovery, JWKS, authorization code flow with PKCE, ID
/// tokens carrying <c>sub</c>, <c>email</c> and <c>email_verified</c>. Its sign-in page asks for a login name and signs
/// in the <see cref="ProviderUser"/> registered under it.
/// </summary>
public sealed class TestIdentityProvider : IAsyncDisposable
{
    public const string ClientId = "scimbridge-console";
    public const string ClientSecret = "console-test-secret";

    private readonly ConcurrentDictionary<string, ProviderUser> _users = new(StringComparer.OrdinalIgnoreCase);
    private WebApplication? _app;

    public string Authority { get; private set; } = "";

    public void Add(ProviderUser user) => _users[user.Login] = user;

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddAuthentication();
        builder.Services.AddOpenIddict().AddServer(server =>
        {
            server.SetAuthorizationEndpointUris("connect/authorize").SetTokenEndpointUris("connect/token");
            server.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
            server.RegisterScopes(Scopes.Email, Scopes.Profile);
            server.AddEphemeralEncryptionKey().AddEphemeralSigningKey().DisableAccessTokenEncryption();

            // No database: the test provider checks its one client itself.
            server.EnableDegradedMode();
            server.AddEventHandler<ValidateAuthorizationRequestContext>(handler => handler.UseInlineHandler(context =>
            {
                if (context.ClientId != ClientId)
                {
                    context.Reject(OpenIddictConstants.Errors.InvalidClient, "Unknown client.");
                }
                else if (context.RedirectUri is not { } uri || !uri.EndsWith("/admin/signin-oidc", StringComparison.Ordinal)
                         || !uri.StartsWith("http://127.0.0.1:", StringComparison.Ordinal))
                {
                    context.Reject(OpenIddictConstants.Errors.InvalidRequest, "Unexpected redirect_uri.");
                }

                return default;
            }));
            server.AddEventHandler<ValidateTokenRequestContext>(handler => handler.UseInlineHandler(context =>
            {
                if (context.Request.ClientId != ClientId || context.Request.ClientSecret != ClientSecret)
                {
                    context.Reject(OpenIddictConstants.Errors.InvalidClient, "Wrong client credentials.");
                }

                return default;
            }));
            server.UseAspNetCore().EnableAuthorizationEndpointPassthrough().EnableTokenEndpointPassthrough().DisableTransportSecurityRequirement();
        });

        _app = builder.Build();
        _app.MapMethods("/connect/authorize", ["GET", "POST"], AuthorizeAsync);
        _app.MapPost("/connect/token", async (HttpContext http) =>
        {
            var result = await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
            return Results.SignIn(result.Principal!, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        });
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Authority = address.TrimEnd('/') + "/";
    }

    /// <summary>Shows a sign-in form (keeping every parameter of the request), then signs in the person whose login was typed.</summary>
    private IResult AuthorizeAsync(HttpContext http)
    {
        var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        var login = (string?)request["login"];
        if (string.IsNullOrEmpty(login))
        {
            return Results.Content(SignInForm(request, null), "text/html");
        }

        if (!_users.TryGetValue(login, out var user))
        {
            return Results.Content(SignInForm(request, $"Unknown login '{login}'."), "text/html");
        }

        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, user.Subject)
            .SetClaim(Claims.Email, user.Email)
            .SetClaim(Claims.EmailVerified, user.EmailVerified)
            .SetClaim(Claims.Name, user.Name);
        identity.SetScopes(request.GetScopes());
        identity.SetDestinations(_ => [Destinations.IdentityToken, Destinations.AccessToken]);
        return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private static string SignInForm(OpenIddictRequest request, string? error)
    {
        var html = new StringBuilder("<!DOCTYPE html><html lang=\"en\"><head><title>Test identity provider</title></head><body><h1>Test identity provider</h1>");
        if (error is not null)
        {
            html.Append("<p role=\"alert\">").Append(WebUtility.HtmlEncode(error)).Append("</p>");
        }

        html.Append("<form method=\"get\" action=\"/connect/authorize\">");
        foreach (var (name, value) in request.GetParameters())
        {
            if (name != "login")
            {
                html.Append("<input type=\"hidden\" name=\"").Append(WebUtility.HtmlEncode(name)).Append("\" value=\"")
                    .Append(WebUtility.HtmlEncode((string?)value)).Append("\">");
            }
        }

        html.Append("<label>Login <input name=\"login\" id=\"login\" autofocus></label> <button type=\"submit\" id=\"idp-sign-in\">Sign in</button></form></body></html>");
        return html.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}

using System.ComponentModel.DataAnnotations;

namespace ScimBridge.Scim.Options;

/// <summary>Admin console settings: OpenID Connect sign-in, superusers, one-time links. Bound from <c>ScimBridge:Admin</c>.</summary>
public sealed class AdminOptions : IValidatableObject
{
    public const string Section = "ScimBridge:Admin";

    /// <summary>The identity provider's issuer URL (Entra: <c>https://login.microsoftonline.com/TENANT/v2.0</c>); empty turns OpenID Connect off.</summary>
    public string? Authority { get; set; }

    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    /// <summary>Name shown on the sign-in button.</summary>
    public string DisplayName { get; set; } = "your identity provider";

    /// <summary>Scopes asked for, separated by spaces.</summary>
    public string Scopes { get; set; } = "openid profile email";

    /// <summary>Claim holding the provider's stable id of the person, matched to the user's externalId (Entra <c>oid</c>, Okta <c>sub</c>).</summary>
    public string IdClaim { get; set; } = "sub";

    public string EmailClaim { get; set; } = "email";

    /// <summary>Claim saying the e-mail address was verified; an e-mail without it is not used to match a user.</summary>
    public string EmailVerifiedClaim { get; set; } = "email_verified";

    /// <summary>Match by e-mail even without a verified claim: only for providers that issue verified addresses only (Entra work accounts).</summary>
    public bool TrustEmailWithoutVerifiedClaim { get; set; }

    public string NameClaim { get; set; } = "name";

    /// <summary>Ask the provider's userinfo endpoint for claims missing from the ID token (Okta without custom claims).</summary>
    public bool GetClaimsFromUserInfoEndpoint { get; set; }

    /// <summary>Refuse a provider whose metadata is not served over HTTPS.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>E-mail addresses or provider ids of people who see every organization as its Owner.</summary>
    public string[] Superusers { get; set; } = [];

    /// <summary>Base URL people open the console at, used in one-time links; empty takes the first of <c>Urls</c>.</summary>
    public string? PublicUrl { get; set; }

    /// <summary>How long a one-time sign-in link stays valid.</summary>
    [Range(1, 60)]
    public int LoginLinkMinutes { get; set; } = 10;

    /// <summary>A session ends after this many hours without a request.</summary>
    [Range(1, 24 * 14)]
    public int SessionHours { get; set; } = 8;

    /// <summary><c>SameAsRequest</c> (Secure behind TLS, also with forwarded headers) or <c>Always</c>.</summary>
    public string SecureCookie { get; set; } = "SameAsRequest";

    public bool OpenIdConnectEnabled => !string.IsNullOrWhiteSpace(Authority);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (OpenIdConnectEnabled && string.IsNullOrWhiteSpace(ClientId))
        {
            yield return new ValidationResult("ScimBridge:Admin:ClientId is required when ScimBridge:Admin:Authority is set.", [nameof(ClientId)]);
        }

        if (SecureCookie is not ("SameAsRequest" or "Always"))
        {
            yield return new ValidationResult("ScimBridge:Admin:SecureCookie must be SameAsRequest or Always.", [nameof(SecureCookie)]);
        }

        if (!string.IsNullOrWhiteSpace(PublicUrl) && !Uri.TryCreate(PublicUrl, UriKind.Absolute, out _))
        {
            yield return new ValidationResult("ScimBridge:Admin:PublicUrl must be an absolute URL such as https://scimbridge.example.org.", [nameof(PublicUrl)]);
        }
    }
}

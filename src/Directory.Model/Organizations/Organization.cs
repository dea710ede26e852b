namespace ScimBridge.Model.Organizations;

/// <summary>A tenant: every user, team, group, token and audit entry belongs to exactly one organization.</summary>
public sealed class Organization
{
    public Guid Id { get; set; } = EntityIds.New();

    /// <summary>Short unique name used in commands, mapping files and configuration (e.g. <c>acme</c>).</summary>
    public string Slug { get; set; } = "";

    public string Name { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Issuer of OAuth 2.0 access tokens (JWT) accepted for SCIM, when the IdP uses client credentials.</summary>
    public string? ScimJwtIssuer { get; set; }

    /// <summary>Audience the JWT must carry; defaults to the service's SCIM base URL when empty.</summary>
    public string? ScimJwtAudience { get; set; }

    public static string NormalizeSlug(string slug) => slug.Trim().ToLowerInvariant();
}

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

    /// <summary>
    /// Why a slug (after <see cref="NormalizeSlug"/>) cannot name an organization, or null when it can: 1 to 63
    /// lowercase letters, digits and hyphens, starting with a letter or digit.
    /// </summary>
    public static string? SlugProblem(string slug)
    {
        if (slug.Length is 0 or > 63)
        {
            return $"'{slug}' is not a valid organization slug: it must have 1 to 63 characters.";
        }

        if (slug[0] == '-' || !slug.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-'))
        {
            var suggestion = new string([.. slug.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')]).Trim('-');
            return $"'{slug}' is not a valid organization slug: use lowercase letters, digits and hyphens"
                + (suggestion.Length > 0 ? $" (e.g. '{suggestion}')." : ".");
        }

        return null;
    }
}

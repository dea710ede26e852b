namespace ScimBridge.Scim.Auth;

/// <summary>
/// The form in which OAuth issuers are stored and compared: <c>https://idp/</c> and <c>https://IDP</c> are one issuer, so one
/// of them can never be trusted by a second organization. Scheme and host are lower-cased, trailing slashes dropped.
/// </summary>
public static class OAuthIssuer
{
    public static string Normalize(string issuer)
    {
        var trimmed = issuer.Trim();
        if (!Uri.TryCreate(trimmed, UriKind.Absolute, out var uri))
        {
            return trimmed.TrimEnd('/');
        }

        return (uri.GetLeftPart(UriPartial.Authority).ToLowerInvariant() + uri.AbsolutePath).TrimEnd('/');
    }

    public static bool Same(string? a, string? b) =>
        a is not null && b is not null && string.Equals(Normalize(a), Normalize(b), StringComparison.Ordinal);
}

namespace ScimBridge.Scim.Organizations;

/// <summary>
/// The addresses the service prints for people to paste or click: <c>ScimBridge:Scim:PublicUrl</c> when set (the
/// address clients reach, usually the reverse proxy's https address), else the first address the service listens on
/// (<c>Urls</c>), with a wildcard host read as localhost.
/// </summary>
public static class TenantUrl
{
    public const string PublicUrlKey = Options.ScimOptions.Section + ":PublicUrl";

    /// <summary>The SCIM base URL to paste into Entra ID or Okta, and whether it was configured.</summary>
    public static (string Url, bool Configured) From(IConfiguration configuration)
    {
        var (origin, configured) = Origin(configuration);
        return (origin + ScimEndpoints.BasePath, configured);
    }

    /// <summary>The service's public origin, without a trailing slash.</summary>
    public static (string Url, bool Configured) Origin(IConfiguration configuration)
    {
        if (configuration[PublicUrlKey] is { Length: > 0 } configured)
        {
            return (configured.TrimEnd('/'), true);
        }

        var first = (configuration["Urls"] ?? "http://localhost:5080").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .FirstOrDefault() ?? "http://localhost:5080";
        return (LocalhostForWildcard(first).TrimEnd('/'), false);
    }

    /// <summary>Wildcard hosts (http://+:8080, http://0.0.0.0:8080) listen everywhere; this machine answers on localhost.</summary>
    public static string LocalhostForWildcard(string address) =>
        address.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal)
            .Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal).Replace("://[::]", "://localhost", StringComparison.Ordinal);
}

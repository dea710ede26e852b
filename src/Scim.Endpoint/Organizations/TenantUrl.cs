namespace ScimBridge.Scim.Organizations;

/// <summary>
/// The SCIM base URL to paste into Entra ID or Okta: <c>ScimBridge:Scim:PublicUrl</c> when set (the address clients reach,
/// usually the reverse proxy's https address), else the first address the service listens on (<c>Urls</c>).
/// </summary>
public static class TenantUrl
{
    public const string PublicUrlKey = Options.ScimOptions.Section + ":PublicUrl";

    public static (string Url, bool Configured) From(IConfiguration configuration)
    {
        if (configuration[PublicUrlKey] is { Length: > 0 } configured)
        {
            return (configured.TrimEnd('/') + ScimEndpoints.BasePath, true);
        }

        var first = (configuration["Urls"] ?? "http://localhost:5080").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .FirstOrDefault() ?? "http://localhost:5080";
        // Wildcard hosts (http://+:8080, http://0.0.0.0:8080) listen everywhere; this machine answers on localhost.
        var url = first.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal)
            .Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal).Replace("://[::]", "://localhost", StringComparison.Ordinal);
        return (url.TrimEnd('/') + ScimEndpoints.BasePath, false);
    }
}

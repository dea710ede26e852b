namespace ScimBridge.Scim.Resources;

/// <summary>
/// The scheme and host clients reach the service under: the request's own, or, behind a trusted reverse proxy that
/// terminates TLS, those it forwards (Entra ID requires https in every <c>meta.location</c> and <c>$ref</c>).
/// </summary>
public static class PublicOrigin
{
    public static (string Scheme, string Host) Of(HttpRequest request)
    {
        var scheme = request.Scheme;
        var host = request.Host.Value ?? "";
        var proxies = request.HttpContext.RequestServices.GetService<TrustedProxies>();
        if (proxies is null || !proxies.Trusts(request.HttpContext.Connection.RemoteIpAddress))
        {
            return (scheme, host);
        }

        // Each proxy appends its own entry; the last is the one written by the proxy that talks to us.
        if (Last(request.Headers["X-Forwarded-Proto"]) is { } proto
            && (proto.Equals("https", StringComparison.OrdinalIgnoreCase) || proto.Equals("http", StringComparison.OrdinalIgnoreCase)))
        {
            scheme = proto.ToLowerInvariant();
        }

        if (Last(request.Headers["X-Forwarded-Host"]) is { } forwardedHost && IsHost(forwardedHost))
        {
            host = forwardedHost;
        }

        return (scheme, host);
    }

    private static string? Last(Microsoft.Extensions.Primitives.StringValues values)
    {
        var joined = values.ToString();
        if (joined.Length == 0)
        {
            return null;
        }

        var last = joined[(joined.LastIndexOf(',') + 1)..].Trim();
        return last.Length == 0 ? null : last;
    }

    /// <summary>A host name or address with an optional port; anything else (paths, spaces, user info) is ignored.</summary>
    private static bool IsHost(string value) =>
        value.Length <= 255 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or ':' or '[' or ']');
}

namespace ScimBridge.Sync.Sources.Ldap;

/// <summary>Host, port and scheme taken from a source's <c>Url</c>.</summary>
internal sealed record LdapEndpoint(string Host, int Port, bool UseSsl)
{
    public static bool TryParse(string? url, out LdapEndpoint endpoint)
    {
        endpoint = new LdapEndpoint("", 0, false);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)
            || uri.Scheme is not ("ldap" or "ldaps")
            || string.IsNullOrEmpty(uri.Host)
            || uri.AbsolutePath is not ("" or "/")
            || !string.IsNullOrEmpty(uri.Query))
        {
            return false;
        }
        var ssl = uri.Scheme == "ldaps";
        endpoint = new LdapEndpoint(uri.Host, uri.IsDefaultPort || uri.Port < 0 ? (ssl ? 636 : 389) : uri.Port, ssl);
        return true;
    }

    public override string ToString() => $"{(UseSsl ? "ldaps" : "ldap")}://{Host}:{Port}";
}

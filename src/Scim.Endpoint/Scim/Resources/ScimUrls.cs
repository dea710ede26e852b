namespace ScimBridge.Scim.Resources;

/// <summary>Absolute base URLs of the resource collections for one request (each ends with a slash).</summary>
public sealed record ScimUrls(string Users, string Groups)
{
    public static ScimUrls For(HttpRequest request) => new(ScimMeta.BaseUrl(request, "Users"), ScimMeta.BaseUrl(request, "Groups"));
}

using System.Globalization;
using System.Text.Json.Nodes;

namespace ScimBridge.Scim.Resources;

/// <summary>Builds the <c>meta</c> complex attribute and absolute resource locations.</summary>
public static class ScimMeta
{
    public static JsonObject Build(string resourceType, DateTimeOffset created, DateTimeOffset lastModified, string location, int version) => new()
    {
        ["resourceType"] = resourceType,
        ["created"] = Format(created),
        ["lastModified"] = Format(lastModified),
        ["location"] = location,
        ["version"] = ScimVersion.ETag(version),
    };

    /// <summary>The absolute URL of <c>/scim/v2/{collection}</c> under the public origin of this request (see <see cref="PublicOrigin"/>).</summary>
    public static string BaseUrl(HttpRequest request, string collection)
    {
        var (scheme, host) = PublicOrigin.Of(request);
        return string.Concat(scheme, "://", host, request.PathBase.Value, ScimEndpoints.BasePath, "/", collection, "/");
    }

    public static string Format(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}

using System.Globalization;
using Microsoft.Extensions.Primitives;
using ScimBridge.Scim.Errors;

namespace ScimBridge.Scim.Resources;

/// <summary>Weak ETags from a resource's version counter, and the If-Match / If-None-Match checks of RFC 7644 §3.14.</summary>
public static class ScimVersion
{
    public static string ETag(int version) => $"W/\"{version.ToString(CultureInfo.InvariantCulture)}\"";

    /// <summary>Throws 412 when the request carries If-Match and none of its tags is the current version.</summary>
    public static void RequireMatch(HttpRequest request, int version)
    {
        var header = request.Headers.IfMatch;
        if (StringValues.IsNullOrEmpty(header))
        {
            return;
        }

        if (!Matches(header, version))
        {
            throw ScimException.PreconditionFailed($"The resource has changed; its current version is {ETag(version)}.");
        }
    }

    /// <summary>True when If-None-Match names the current version, so a GET may answer 304.</summary>
    public static bool NotModified(HttpRequest request, int version)
    {
        var header = request.Headers.IfNoneMatch;
        return !StringValues.IsNullOrEmpty(header) && Matches(header, version);
    }

    private static bool Matches(StringValues header, int version)
    {
        var current = version.ToString(CultureInfo.InvariantCulture);
        foreach (var value in header)
        {
            foreach (var part in (value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (part == "*")
                {
                    return true;
                }

                var tag = part.StartsWith("W/", StringComparison.OrdinalIgnoreCase) ? part[2..] : part;
                if (tag.Trim('"') == current)
                {
                    return true;
                }
            }
        }

        return false;
    }
}

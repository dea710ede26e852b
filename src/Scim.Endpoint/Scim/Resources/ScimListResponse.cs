using System.Text.Json.Nodes;

namespace ScimBridge.Scim.Resources;

/// <summary>Builds the <c>ListResponse</c> message of RFC 7644 §3.4.2.</summary>
public static class ScimListResponse
{
    public static ScimJsonResult Create(long totalResults, int startIndex, IReadOnlyList<JsonObject> resources)
    {
        var array = new JsonArray();
        foreach (var resource in resources)
        {
            array.Add(resource);
        }

        return new ScimJsonResult(StatusCodes.Status200OK, new JsonObject
        {
            ["schemas"] = new JsonArray(ScimUrns.ListResponse),
            ["totalResults"] = totalResults,
            ["startIndex"] = startIndex,
            ["itemsPerPage"] = resources.Count,
            ["Resources"] = array,
        });
    }
}

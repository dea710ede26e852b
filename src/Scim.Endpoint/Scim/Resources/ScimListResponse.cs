using System.Text.Json.Nodes;

namespace ScimBridge.Scim.Resources;

/// <summary>Builds the <c>ListResponse</c> message of RFC 7644 §3.4.2, and its cursor-paged form of RFC 9865.</summary>
public static class ScimListResponse
{
    public static ScimJsonResult Create(long totalResults, int startIndex, IReadOnlyList<JsonObject> resources)
    {
        return new ScimJsonResult(StatusCodes.Status200OK, new JsonObject
        {
            ["schemas"] = new JsonArray(ScimUrns.ListResponse),
            ["totalResults"] = totalResults,
            ["startIndex"] = startIndex,
            ["itemsPerPage"] = resources.Count,
            ["Resources"] = Array(resources),
        });
    }

    /// <summary>A page reached by cursor: <c>nextCursor</c> unless it is the last page, <c>previousCursor</c> unless it is the first.</summary>
    public static ScimJsonResult Create(CursorPage page)
    {
        var body = new JsonObject
        {
            ["schemas"] = new JsonArray(ScimUrns.ListResponse),
            ["totalResults"] = page.Total,
            ["itemsPerPage"] = page.Resources.Count,
        };
        if (page.Next is { } next)
        {
            body["nextCursor"] = next.Encode();
        }

        if (page.Previous is { } previous)
        {
            body["previousCursor"] = previous.Encode();
        }

        body["Resources"] = Array(page.Resources);
        return new ScimJsonResult(StatusCodes.Status200OK, body);
    }

    private static JsonArray Array(IReadOnlyList<JsonObject> resources)
    {
        var array = new JsonArray();
        foreach (var resource in resources)
        {
            array.Add(resource);
        }

        return array;
    }
}

/// <summary>One page of a cursor-paged list and the cursors that lead on from it.</summary>
public sealed record CursorPage(IReadOnlyList<JsonObject> Resources, long Total, ScimCursor? Next, ScimCursor? Previous);

using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ScimBridge.Scim.Errors;
using ScimBridge.Scim.Resources;

namespace ScimBridge.Scim.Bulk;

/// <summary>
/// A parsed BulkRequest (RFC 7644 §3.7). A body that is not a BulkRequest at all, too many operations or a bulkId used
/// twice refuses the whole request; an unusable single operation only fails itself (<see cref="BulkOperation.Problem"/>).
/// </summary>
public sealed record BulkRequest(IReadOnlyList<BulkOperation> Operations, int? FailOnErrors)
{
    public const string Schema = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";

    private static readonly string[] Methods = ["POST", "PUT", "PATCH", "DELETE"];
    private static readonly string[] Collections = ["Users", "Groups"];

    public static BulkRequest Parse(JsonObject body, int maxOperations)
    {
        if (ScimNode.Get(body, "Operations") is not JsonArray operations)
        {
            throw ScimException.InvalidSyntax("A BulkRequest needs an 'Operations' array.");
        }

        if (operations.Count > maxOperations)
        {
            throw ScimException.PayloadTooLarge(string.Create(
                CultureInfo.InvariantCulture, $"The request has {operations.Count} operations; maxOperations is {maxOperations}."));
        }

        var failOnErrors = ScimNode.Get(body, "failOnErrors") switch
        {
            null => (int?)null,
            JsonValue v when v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<int>(out var n) && n >= 1 => n,
            _ => throw ScimException.InvalidValue("failOnErrors must be a positive integer."),
        };

        var parsed = new List<BulkOperation>(operations.Count);
        var bulkIds = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < operations.Count; i++)
        {
            var operation = ParseOperation(i, operations[i]);
            if (operation.BulkId is { } bulkId && !bulkIds.Add(bulkId))
            {
                throw ScimException.InvalidValue($"bulkId '{bulkId}' is used by more than one operation.");
            }

            parsed.Add(operation);
        }

        return new BulkRequest(parsed, failOnErrors);
    }

    private static BulkOperation ParseOperation(int index, JsonNode? node)
    {
        if (node is not JsonObject entry)
        {
            return Failed(index, "", null, "", ScimErrorTypes.InvalidSyntax, "An operation must be a JSON object.");
        }

        var method = Text(entry, "method")?.ToUpperInvariant() ?? "";
        var bulkId = Text(entry, "bulkId");
        var path = Text(entry, "path") ?? "";
        if (Array.IndexOf(Methods, method) < 0)
        {
            return Failed(index, method, bulkId, path, ScimErrorTypes.InvalidValue, "method must be POST, PUT, PATCH or DELETE.");
        }

        if (method == "POST" && string.IsNullOrEmpty(bulkId))
        {
            return Failed(index, method, bulkId, path, ScimErrorTypes.InvalidValue, "A POST operation needs a bulkId.");
        }

        if (ParseTarget(method, path) is not { } target)
        {
            var expected = method == "POST" ? "/Users or /Groups" : "/Users/{id} or /Groups/{id}";
            return Failed(index, method, bulkId, path, ScimErrorTypes.InvalidPath, $"path must be {expected} for {method}; got '{path}'.");
        }

        var data = ScimNode.Get(entry, "data");
        if (method != "DELETE" && data is not JsonObject)
        {
            return Failed(index, method, bulkId, path, ScimErrorTypes.InvalidSyntax, $"A {method} operation needs a 'data' object.");
        }

        var references = new HashSet<string>(StringComparer.Ordinal);
        if (BulkReferences.Named(target.Id) is { } pathReference)
        {
            references.Add(pathReference);
        }

        var body = method == "DELETE" ? null : (JsonObject)data!;
        BulkReferences.Collect(body, references);
        if (bulkId is not null && references.Contains(bulkId))
        {
            return Failed(index, method, bulkId, path, ScimErrorTypes.InvalidValue, $"The operation with bulkId '{bulkId}' references itself.");
        }

        return new BulkOperation(index, method, bulkId, Text(entry, "version"), path, target, body, references, null);
    }

    /// <summary>Splits <c>/Users</c>, <c>/Groups/{id}</c> (leading slash optional); null for anything else.</summary>
    private static BulkTarget? ParseTarget(string method, string path)
    {
        var parts = path.Trim('/').Split('/');
        var collection = Array.Find(Collections, c => string.Equals(c, parts[0], StringComparison.OrdinalIgnoreCase));
        if (collection is null)
        {
            return null;
        }

        return method == "POST"
            ? parts.Length == 1 ? new BulkTarget(collection, null) : null
            : parts.Length == 2 && parts[1].Length > 0 ? new BulkTarget(collection, Uri.UnescapeDataString(parts[1])) : null;
    }

    private static BulkOperation Failed(int index, string method, string? bulkId, string path, string scimType, string detail) =>
        new(index, method, bulkId, null, path, null, null, new HashSet<string>(), new BulkProblem(400, scimType, detail));

    private static string? Text(JsonObject entry, string name) =>
        ScimNode.Get(entry, name) is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
}

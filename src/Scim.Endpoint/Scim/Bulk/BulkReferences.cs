using System.Text.Json;
using System.Text.Json.Nodes;

namespace ScimBridge.Scim.Bulk;

/// <summary>
/// <c>bulkId:</c> references (RFC 7644 §3.7.2): a string value <c>bulkId:x</c> anywhere in an operation's data, or a
/// path id, stands for the id of the resource that the operation with bulkId <c>x</c> creates.
/// </summary>
public static class BulkReferences
{
    public const string Prefix = "bulkId:";

    /// <summary>The bulkId named by <paramref name="value"/>, or null when it is not a reference.</summary>
    public static string? Named(string? value) =>
        value is not null && value.Length > Prefix.Length && value.StartsWith(Prefix, StringComparison.Ordinal) ? value[Prefix.Length..] : null;

    /// <summary>Every bulkId that <paramref name="node"/> references, at any depth.</summary>
    public static void Collect(JsonNode? node, ISet<string> into)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (_, child) in obj)
                {
                    Collect(child, into);
                }

                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    Collect(child, into);
                }

                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                if (Named(value.GetValue<string>()) is { } bulkId)
                {
                    into.Add(bulkId);
                }

                break;
        }
    }

    /// <summary>A copy of <paramref name="node"/> with every reference replaced by the id it stands for.</summary>
    public static JsonNode? Resolve(JsonNode? node, IReadOnlyDictionary<string, string> ids) => node switch
    {
        JsonObject obj => new JsonObject(obj.Select(p => KeyValuePair.Create(p.Key, Resolve(p.Value, ids)))),
        JsonArray array => new JsonArray([.. array.Select(child => Resolve(child, ids))]),
        JsonValue value when value.GetValueKind() == JsonValueKind.String && Named(value.GetValue<string>()) is { } bulkId =>
            JsonValue.Create(ids[bulkId]),
        null => null,
        _ => node.DeepClone(),
    };
}

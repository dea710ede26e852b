using System.Text.Json;
using System.Text.Json.Nodes;
using ScimBridge.Scim.Errors;
using ScimBridge.Scim.Filtering;
using ScimBridge.Scim.Resources;

namespace ScimBridge.Scim.Patch;

/// <summary>The operation of a PATCH request; clients send it in any case (<c>Replace</c>, <c>add</c>).</summary>
public enum PatchOp
{
    Add,
    Replace,
    Remove,
}

/// <summary>One PATCH operation; <see cref="Value"/> is null when absent or JSON null.</summary>
public sealed record PatchOperation(PatchOp Op, string? Path, JsonNode? Value)
{
    /// <summary>The parsed <see cref="Path"/>, or null when the operation has none.</summary>
    public PatchPath? Target { get; init; }
}

/// <summary>An RFC 7644 §3.5.2 PatchOp message.</summary>
public sealed record PatchRequest(IReadOnlyList<PatchOperation> Operations)
{
    /// <summary>The limits paths were parsed with; path-less values whose keys are paths are parsed with them too.</summary>
    public FilterLimits Limits { get; init; } = FilterLimits.Default;

    /// <summary>Parses with the default filter limits (<see cref="FilterLimits.Default"/>).</summary>
    public static PatchRequest Parse(JsonObject body) => Parse(body, FilterLimits.Default);

    /// <summary>Parses every operation and its path before any is applied, so a bad one fails the request as a whole.</summary>
    public static PatchRequest Parse(JsonObject body, FilterLimits limits)
    {
        var operations = ScimNode.Get(body, "Operations") switch
        {
            JsonArray array => array,
            null => throw ScimException.InvalidSyntax("A PATCH request needs an 'Operations' list."),
            _ => throw ScimException.InvalidSyntax("'Operations' must be a list."),
        };

        var result = new List<PatchOperation>(operations.Count);
        foreach (var element in operations)
        {
            if (element is not JsonObject operation)
            {
                throw ScimException.InvalidSyntax("Each PATCH operation must be an object.");
            }

            var opText = ScimNode.Get(operation, "op") is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
            var op = opText?.Trim().ToLowerInvariant() switch
            {
                "add" => PatchOp.Add,
                "replace" => PatchOp.Replace,
                "remove" => PatchOp.Remove,
                _ => throw ScimException.InvalidSyntax($"'{opText}' is not a PATCH operation; use add, replace or remove."),
            };
            var path = ScimNode.Get(operation, "path") switch
            {
                null => null,
                JsonValue p when p.GetValueKind() == JsonValueKind.String => p.GetValue<string>().Trim(),
                _ => throw ScimException.InvalidPath("'path' must be a string."),
            };
            if (path?.Length == 0)
            {
                path = null;
            }

            var value = ScimNode.Get(operation, "value");
            if (op == PatchOp.Remove && path is null)
            {
                throw ScimException.NoTarget("A remove operation needs a path.");
            }

            if (op != PatchOp.Remove && path is null && value is not JsonObject)
            {
                throw ScimException.InvalidSyntax($"A path-less {opText} needs an object of attributes as its value.");
            }

            result.Add(new PatchOperation(op, path, value) { Target = path is null ? null : ScimPathParser.Parse(path, limits) });
        }

        return new PatchRequest(result) { Limits = limits };
    }
}

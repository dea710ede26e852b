using System.Text.Json;
using Microsoft.Kiota.Abstractions.Serialization;
using ScimBridge.Model.Reconcile;

namespace ScimBridge.Sync.Sources.Entra;

/// <summary>Kind of a directory object referenced by a group.</summary>
internal enum EntraMemberKind
{
    User,
    Group,
    /// <summary>Devices, service principals, contacts: not people, ignored.</summary>
    Other,
}

/// <summary>One entry of a group's <c>members@delta</c>: a member added, or removed when <paramref name="Removed"/>.</summary>
internal readonly record struct EntraMemberChange(string Id, EntraMemberKind Kind, bool Removed);

/// <summary>
/// Reads the delta annotations the SDK leaves in <c>AdditionalData</c>: <c>@removed</c> on users and groups, and a group's
/// <c>members@delta</c>. SDK v5 stores them as untyped nodes (<see cref="UntypedObject"/>/<see cref="UntypedArray"/>);
/// older paths produced <see cref="JsonElement"/>, which is read too. An unknown shape fails the read rather than
/// silently dropping membership changes.
/// </summary>
internal static class EntraDeltaAnnotations
{
    private const string RemovedKey = "@removed";
    private const string MembersDeltaKey = "members@delta";

    /// <summary>True when the object carries <c>@removed</c>; <paramref name="reason"/> is "changed" (soft-deleted) or "deleted".</summary>
    public static bool IsRemoved(IDictionary<string, object>? additionalData, out string? reason)
    {
        reason = null;
        if (additionalData is null || !additionalData.TryGetValue(RemovedKey, out var value))
        {
            return false;
        }
        reason = value switch
        {
            UntypedObject obj => obj.GetValue().TryGetValue("reason", out var node) ? AsString(node) : null,
            JsonElement { ValueKind: JsonValueKind.Object } element =>
                element.TryGetProperty("reason", out var property) && property.ValueKind == JsonValueKind.String ? property.GetString() : null,
            _ => null,
        };
        return true;
    }

    /// <summary>The member additions and removals of one group entry; empty when the entry has no <c>members@delta</c>.</summary>
    public static IReadOnlyList<EntraMemberChange> MemberChanges(string groupId, IDictionary<string, object>? additionalData)
    {
        if (additionalData is null || !additionalData.TryGetValue(MembersDeltaKey, out var value) || value is null or UntypedNull)
        {
            return [];
        }
        return value switch
        {
            UntypedArray array => array.GetValue().Select(node => FromUntyped(groupId, node)).ToList(),
            JsonElement { ValueKind: JsonValueKind.Array } element => element.EnumerateArray().Select(e => FromJson(groupId, e)).ToList(),
            JsonElement { ValueKind: JsonValueKind.Null } => [],
            _ => throw new DirectoryReadException($"members@delta of group {groupId} has an unexpected shape ({value.GetType().Name})."),
        };
    }

    public static EntraMemberKind KindOf(string? odataType) => odataType switch
    {
        "#microsoft.graph.user" => EntraMemberKind.User,
        "#microsoft.graph.group" => EntraMemberKind.Group,
        _ => EntraMemberKind.Other,
    };

    private static EntraMemberChange FromUntyped(string groupId, UntypedNode node)
    {
        if (node is not UntypedObject obj)
        {
            throw new DirectoryReadException($"members@delta of group {groupId} holds a {node.GetType().Name} instead of an object.");
        }
        var fields = obj.GetValue();
        var id = fields.TryGetValue("id", out var idNode) ? AsString(idNode) : null;
        if (string.IsNullOrEmpty(id))
        {
            throw new DirectoryReadException($"members@delta of group {groupId} holds an entry without an id.");
        }
        var type = fields.TryGetValue("@odata.type", out var typeNode) ? AsString(typeNode) : null;
        return new EntraMemberChange(id, KindOf(type), fields.ContainsKey(RemovedKey));
    }

    private static EntraMemberChange FromJson(string groupId, JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object
            || !element.TryGetProperty("id", out var idProperty) || idProperty.ValueKind != JsonValueKind.String
            || string.IsNullOrEmpty(idProperty.GetString()))
        {
            throw new DirectoryReadException($"members@delta of group {groupId} holds an entry without an id.");
        }
        var type = element.TryGetProperty("@odata.type", out var typeProperty) && typeProperty.ValueKind == JsonValueKind.String
            ? typeProperty.GetString()
            : null;
        return new EntraMemberChange(idProperty.GetString()!, KindOf(type), element.TryGetProperty(RemovedKey, out _));
    }

    private static string? AsString(UntypedNode node) => node is UntypedString s ? s.GetValue() : null;
}

using System.Text.Json;
using System.Text.Json.Nodes;
using ScimBridge.Model.Groups;
using ScimBridge.Model.Provisioning;
using ScimBridge.Scim.Errors;
using ScimBridge.Scim.Filtering;
using ScimBridge.Scim.Groups;
using ScimBridge.Scim.Resources;

namespace ScimBridge.Scim.Patch;

/// <summary>
/// Turns group PATCH operations into provisioning calls on the named members only; the member list is never loaded
/// (except for a full replace). Operations are folded first so that "remove X, add Y" in one request stays exact.
/// </summary>
public sealed class GroupPatcher
{
    private readonly HashSet<Guid> _adds = [];
    private readonly HashSet<Guid> _removes = [];
    private HashSet<Guid>? _replacement;
    private string _displayName;
    private string? _externalId;
    private readonly DirectoryGroup _group;

    private GroupPatcher(DirectoryGroup group)
    {
        _group = group;
        _displayName = group.DisplayName;
        _externalId = group.ExternalId;
    }

    /// <summary>Stages the request's changes on the group; returns whether the group's own attributes changed.</summary>
    public static async Task<bool> ApplyAsync(
        DirectoryGroup group, PatchRequest patch, GroupProvisioning provisioning, ProvisioningContext context, CancellationToken ct,
        ValueLimits? limits = null)
    {
        var patcher = new GroupPatcher(group);
        foreach (var operation in patch.Operations)
        {
            if (operation.Path is null)
            {
                patcher.ApplyWithoutPath(operation.Op, (JsonObject)operation.Value!);
            }
            else
            {
                patcher.ApplyPath(operation.Op, operation.Target!, operation.Value);
            }
        }

        // Checked after folding and before the first change, so a refused value leaves the group as it was.
        ScimGroupMapping.CheckValues(patcher._displayName, patcher._externalId, limits ?? ValueLimits.Default);
        var renamed = provisioning.Update(group, patcher._displayName, patcher._externalId, context);
        if (patcher._replacement is not null)
        {
            await provisioning.ReplaceMembersAsync(group, patcher._replacement, context, ct);
        }
        else
        {
            await provisioning.RemoveMembersAsync(group, patcher._removes, context, ct);
            await provisioning.AddMembersAsync(group, patcher._adds, context, ct);
        }

        return renamed;
    }

    private void ApplyWithoutPath(PatchOp op, JsonObject value)
    {
        foreach (var (key, node) in value)
        {
            var path = AttributePath.Parse(key);
            switch (Name(path))
            {
                case "schemas" or "meta":
                    break;
                case "id":
                    // Okta repeats the id in a path-less rename.
                    if (!string.Equals(ScimNode.String(node, "id"), _group.Id.ToString(), StringComparison.OrdinalIgnoreCase))
                    {
                        throw ScimException.Mutability("id is read-only and cannot be changed.");
                    }

                    break;
                default:
                    ApplyPath(op, new PatchPath(path), node);
                    break;
            }
        }
    }

    private void ApplyPath(PatchOp op, PatchPath path, JsonNode? value)
    {
        var name = Name(path.Attribute);
        if (name == "members")
        {
            ApplyMembers(op, path, value);
            return;
        }

        if (path.ValueFilter is not null || path.SubAttribute is not null)
        {
            throw ScimException.InvalidPath($"'{path}' does not name a Group attribute that can be patched.");
        }

        switch (name)
        {
            case "displayname":
                _displayName = op == PatchOp.Remove
                    ? throw ScimException.Mutability("displayName is required and cannot be removed.")
                    : ScimNode.String(value, "displayName") ?? throw ScimException.InvalidValue("displayName is required.");
                break;
            case "externalid":
                _externalId = op == PatchOp.Remove ? null : ScimNode.String(value, "externalId");
                break;
            case "id":
                throw ScimException.Mutability("id is read-only and cannot be changed.");
            default:
                throw ScimException.InvalidPath($"'{path}' is not a Group attribute that can be patched.");
        }
    }

    private void ApplyMembers(PatchOp op, PatchPath path, JsonNode? value)
    {
        if (path.SubAttribute is not null)
        {
            throw ScimException.InvalidPath($"'{path}': members can only be added, removed or replaced as a whole.");
        }

        if (path.ValueFilter is not null)
        {
            if (op != PatchOp.Remove)
            {
                throw ScimException.InvalidPath($"'{path}': use add or replace on 'members' without a filter.");
            }

            Remove(FilteredIds(path.ValueFilter));
            return;
        }

        switch (op)
        {
            case PatchOp.Add:
                Add(ScimGroupMappingIds(value));
                break;
            case PatchOp.Replace:
                _replacement = [.. ScimGroupMappingIds(value)];
                _adds.Clear();
                _removes.Clear();
                break;
            case PatchOp.Remove when value is JsonArray { Count: > 0 } or JsonObject:
                // Entra: remove on path "members" with the members to remove in the value.
                Remove(ScimGroupMappingIds(value));
                break;
            case PatchOp.Remove:
                _replacement = [];
                _adds.Clear();
                _removes.Clear();
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(op), op, null);
        }
    }

    private void Add(IEnumerable<Guid> ids)
    {
        foreach (var id in ids)
        {
            if (_replacement is not null)
            {
                _replacement.Add(id);
            }
            else
            {
                _removes.Remove(id);
                _adds.Add(id);
            }
        }
    }

    private void Remove(IEnumerable<Guid> ids)
    {
        foreach (var id in ids)
        {
            if (_replacement is not null)
            {
                _replacement.Remove(id);
            }
            else
            {
                _adds.Remove(id);
                _removes.Add(id);
            }
        }
    }

    private static List<Guid> ScimGroupMappingIds(JsonNode? value) => Groups.ScimGroupMapping.MemberIds(value);

    /// <summary>Ids named by <c>value eq "…"</c> (possibly or-ed); other member filters are refused rather than guessed.</summary>
    private static List<Guid> FilteredIds(FilterNode filter)
    {
        var ids = new List<Guid>();
        Collect(filter);
        return ids;

        void Collect(FilterNode node)
        {
            switch (node)
            {
                case ComparisonFilter { Operator: ComparisonOperator.Eq, Path: { SubAttribute: null } p, Value: JsonValue v }
                    when string.Equals(p.Name, "value", StringComparison.OrdinalIgnoreCase) && v.GetValueKind() == JsonValueKind.String:
                    // A value that is no id names no member: removing it is a no-op.
                    if (Guid.TryParse(v.GetValue<string>(), out var id))
                    {
                        ids.Add(id);
                    }

                    break;
                case OrFilter or:
                    Collect(or.Left);
                    Collect(or.Right);
                    break;
                default:
                    throw ScimException.InvalidFilter($"Member filters must select by value (members[value eq \"id\"]); '{node}' is not supported.");
            }
        }
    }

    private static string Name(AttributePath path)
    {
        if (path.Schema is not null && !string.Equals(path.Schema, ScimUrns.Group, StringComparison.OrdinalIgnoreCase))
        {
            throw ScimException.InvalidPath($"'{path}' is not a Group attribute.");
        }

        return path.Name.ToLowerInvariant();
    }
}

using System.Text.Json.Nodes;
using ScimBridge.Model.Groups;
using ScimBridge.Scim.Errors;
using ScimBridge.Scim.Resources;

namespace ScimBridge.Scim.Groups;

/// <summary>Hand-written mapping between the SCIM Group and <see cref="DirectoryGroup"/> with its members.</summary>
public static class ScimGroupMapping
{
    public const string ResourceType = "Group";

    /// <summary>Renders a group; <paramref name="members"/> is null when the response does not show members (they were not loaded).</summary>
    public static JsonObject ToScim(DirectoryGroup group, IReadOnlyList<GroupMemberView>? members, ScimUrls urls)
    {
        var json = new JsonObject
        {
            ["schemas"] = new JsonArray(ScimUrns.Group),
            ["id"] = group.Id.ToString(),
        };
        if (group.ExternalId is not null)
        {
            json["externalId"] = group.ExternalId;
        }

        json["displayName"] = group.DisplayName;
        if (members is not null)
        {
            json["members"] = new JsonArray([.. members.Select(m => new JsonObject
            {
                ["value"] = m.MemberId.ToString(),
                ["display"] = m.Display,
                ["type"] = m.Type == GroupMemberType.User ? "User" : "Group",
                ["$ref"] = (m.Type == GroupMemberType.User ? urls.Users : urls.Groups) + m.MemberId,
            })]);
        }

        json["meta"] = ScimMeta.Build(ResourceType, group.CreatedAt, group.UpdatedAt, urls.Groups + group.Id, group.Version);
        return json;
    }

    /// <summary>Holds a group's own values to the limits: 400 <c>invalidValue</c> naming the attribute otherwise.</summary>
    public static void CheckValues(string displayName, string? externalId, ValueLimits limits)
    {
        limits.Text("displayName", displayName);
        limits.Identifier("externalId", externalId);
    }

    public static string DisplayName(JsonObject json) =>
        ScimNode.String(json, "displayName") is { } name && !string.IsNullOrWhiteSpace(name)
            ? name
            : throw ScimException.InvalidValue("displayName is required.");

    /// <summary>The member ids of a <c>members</c> value: a list of <c>{"value": id}</c> (a single object is accepted too).</summary>
    public static List<Guid> MemberIds(JsonNode? members)
    {
        var ids = new List<Guid>();
        foreach (var member in ScimNode.Objects(members, "members"))
        {
            var value = ScimNode.String(member, "value");
            if (value is null)
            {
                continue;
            }

            ids.Add(Guid.TryParse(value, out var id) ? id : throw ScimException.InvalidValue($"Member '{value}' is not a user or group id."));
        }

        return ids;
    }
}

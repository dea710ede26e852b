using System.Text.Json.Nodes;

namespace ScimBridge.Sync.Tests.Entra;

/// <summary>Microsoft Graph v1.0 response bodies in the shapes the Graph documentation shows.</summary>
public static class GraphJson
{
    public static JsonObject User(
        string id, string upn, string? givenName = null, string? surname = null, bool accountEnabled = true,
        string? mail = null, string? jobTitle = null, string? department = null, string? employeeId = null,
        string? mobilePhone = null, string[]? businessPhones = null, string? preferredLanguage = null, string? companyName = null)
    {
        var display = string.Join(' ', new[] { givenName, surname }.Where(s => s is not null));
        return new JsonObject
        {
            ["id"] = id,
            ["businessPhones"] = new JsonArray((businessPhones ?? []).Select(p => (JsonNode?)JsonValue.Create(p)).ToArray()),
            ["displayName"] = display.Length == 0 ? upn : display,
            ["givenName"] = givenName,
            ["jobTitle"] = jobTitle,
            ["mail"] = mail,
            ["mobilePhone"] = mobilePhone,
            ["officeLocation"] = "18/2111",
            ["preferredLanguage"] = preferredLanguage,
            ["surname"] = surname,
            ["userPrincipalName"] = upn,
            ["accountEnabled"] = accountEnabled,
            ["department"] = department,
            ["employeeId"] = employeeId,
            ["companyName"] = companyName,
        };
    }

    /// <summary>A user in a users delta page that left: soft-deleted ("changed") or permanently deleted ("deleted").</summary>
    public static JsonObject RemovedUser(string id, string reason) => new()
    {
        ["@odata.type"] = "#microsoft.graph.user",
        ["id"] = id,
        ["@removed"] = new JsonObject { ["reason"] = reason },
    };

    public static JsonObject Group(string id, string displayName) => new() { ["id"] = id, ["displayName"] = displayName };

    public static JsonObject DirectoryObject(string type, string id) => new() { ["@odata.type"] = $"#microsoft.graph.{type}", ["id"] = id };

    /// <summary>A group in a groups delta page with its <c>members@delta</c>; removed members carry <c>@removed</c>.</summary>
    public static JsonObject DeltaGroup(string id, string displayName, IEnumerable<string> addedUsers, IEnumerable<string>? removedUsers = null,
        IEnumerable<string>? addedGroups = null)
    {
        var members = new JsonArray();
        foreach (var user in addedUsers)
        {
            members.Add(DirectoryObject("user", user));
        }
        foreach (var group in addedGroups ?? [])
        {
            members.Add(DirectoryObject("group", group));
        }
        foreach (var user in removedUsers ?? [])
        {
            var removed = DirectoryObject("user", user);
            removed["@removed"] = new JsonObject { ["reason"] = "deleted" };
            members.Add(removed);
        }
        return new JsonObject { ["displayName"] = displayName, ["id"] = id, ["members@delta"] = members };
    }

    /// <summary>A group in a groups delta page that was deleted.</summary>
    public static JsonObject RemovedGroupEntry(string id) => new()
    {
        ["@odata.type"] = "#microsoft.graph.group",
        ["id"] = id,
        ["@removed"] = new JsonObject { ["reason"] = "changed" },
    };

    /// <summary>A collection page: <c>@odata.context</c>, optional <c>@odata.nextLink</c>, <c>value</c>.</summary>
    public static JsonObject Page(string graphRoot, string context, IEnumerable<JsonObject> values, string? nextLink = null)
    {
        var page = new JsonObject { ["@odata.context"] = $"{graphRoot}/$metadata#{context}" };
        if (nextLink is not null)
        {
            page["@odata.nextLink"] = nextLink;
        }
        page["value"] = new JsonArray(values.Select(v => (JsonNode)v).ToArray());
        return page;
    }

    /// <summary>
    /// A delta page of <paramref name="resource"/> ("users" or "groups"): ends with <c>@odata.deltaLink</c> carrying
    /// <paramref name="deltaToken"/>, or continues with a <c>@odata.nextLink</c> carrying <paramref name="skipToken"/>.
    /// </summary>
    public static JsonObject DeltaPage(string graphRoot, string resource, IEnumerable<JsonObject> values, string? deltaToken = null, string? skipToken = null)
    {
        var page = new JsonObject { ["@odata.context"] = $"{graphRoot}/$metadata#{resource}" };
        if (skipToken is not null)
        {
            page["@odata.nextLink"] = $"{graphRoot}/{resource}/delta()?$skiptoken={skipToken}";
        }
        if (deltaToken is not null)
        {
            page["@odata.deltaLink"] = $"{graphRoot}/{resource}/delta()?$deltatoken={deltaToken}";
        }
        page["value"] = new JsonArray(values.Select(v => (JsonNode)v).ToArray());
        return page;
    }

    public static JsonObject Error(string code, string message) => new()
    {
        ["error"] = new JsonObject
        {
            ["code"] = code,
            ["message"] = message,
            ["innerError"] = new JsonObject
            {
                ["date"] = "2024-05-02T09:41:12",
                ["request-id"] = "7b9f5c2d-0f55-4b8e-9d6a-2c1e8c7f0a11",
                ["client-request-id"] = "7b9f5c2d-0f55-4b8e-9d6a-2c1e8c7f0a11",
            },
        },
    };
}

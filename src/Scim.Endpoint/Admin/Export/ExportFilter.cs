using ScimBridge.Model.Users;
using ScimBridge.Scim.Admin.Users;

namespace ScimBridge.Scim.Admin.Export;

/// <summary>The users-page filter an export takes (search text, state, managed by, team), read from the same words.</summary>
public static class ExportFilter
{
    /// <summary>The query, or why the state is not one; <c>all</c> or nothing means every state.</summary>
    public static (UserQuery? Query, string? Problem) Parse(string? text, string? state, string? managedBy, Guid? team)
    {
        UserStatus? status = null;
        if (!string.IsNullOrWhiteSpace(state) && !state.Equals("all", StringComparison.OrdinalIgnoreCase))
        {
            if (!Enum.TryParse<UserStatus>(state, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || int.TryParse(state, out _))
            {
                return (null, $"'{state}' is not a state; choose prepared, invited, active, deactivated or all.");
            }

            status = parsed;
        }

        var query = new UserQuery(string.IsNullOrWhiteSpace(text) ? null : text.Trim(), status,
            string.IsNullOrWhiteSpace(managedBy) ? null : managedBy, team, "userName", false, 1, UserExportReader.PageSize);
        return (query, null);
    }

    /// <summary>The export link for the users page's current filter (its paging and sort left out: an export has all rows, by userName).</summary>
    public static string Link(HttpRequest request, ExportFormat format)
    {
        var query = request.Query.Where(q => q.Key is "q" or "state" or "managedBy" or "team")
            .Select(q => new KeyValuePair<string, string?>(q.Key, q.Value.ToString()))
            .Append(new("format", ExportFormats.Extension(format)));
        return AdminConsole.BasePath + "/users/export" + QueryString.Create(query).ToUriComponent();
    }
}

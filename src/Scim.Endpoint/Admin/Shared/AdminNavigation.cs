namespace ScimBridge.Scim.Admin.Shared;

/// <summary>The console's main navigation, in order. A new section adds one line here.</summary>
public static class AdminNavigation
{
    public sealed record Entry(string Title, string Path);

    public static readonly IReadOnlyList<Entry> Entries =
    [
        new("Users", AdminConsole.BasePath + "/users"),
        new("Teams", AdminConsole.BasePath + "/teams"),
        new("Numbers", AdminConsole.BasePath + "/numbers"),
        new("Mapping file", AdminConsole.BasePath + "/mapping"),
        new("Directory sync", AdminConsole.BasePath + "/sync"),
        new("SCIM access", AdminConsole.BasePath + "/access"),
        new("Audit log", AdminConsole.BasePath + "/audit"),
    ];

    /// <summary>Whether <paramref name="requestPath"/> is in the entry's section (for <c>aria-current</c>).</summary>
    public static bool IsCurrent(Entry entry, string? requestPath) =>
        requestPath is not null && (requestPath.Equals(entry.Path, StringComparison.OrdinalIgnoreCase)
            || requestPath.StartsWith(entry.Path + "/", StringComparison.OrdinalIgnoreCase));
}

using System.Globalization;
using ScimBridge.Model.Organizations;
using ScimBridge.Model.Teams;
using ScimBridge.Model.Users;

namespace ScimBridge.Scim.Admin.Export;

/// <summary>One user as a spreadsheet row: profile, state, who manages them, organization role, teams with roles.</summary>
public sealed record UserExportRow(
    Guid Id, string UserName, string? GivenName, string? FamilyName, string? DisplayName, string? Email, UserStatus Status,
    string ManagedBy, string? ExternalId, OrganizationRole? OrganizationRole, string? Extension, DateTimeOffset CreatedAt)
{
    /// <summary>The user's effective role per team (the highest of its memberships), by team name.</summary>
    public IReadOnlyList<(string Team, TeamRole Role)> Teams { get; set; } = [];

    public static readonly IReadOnlyList<string> Columns =
    [
        "userName", "Given name", "Family name", "Display name", "E-mail", "State", "Active", "Managed by", "External id",
        "Organization role", "Extension", "Teams", "Team roles", "Created (UTC)",
    ];

    /// <summary>The row's cells, in <see cref="Columns"/> order, as text.</summary>
    public string?[] Cells() =>
    [
        UserName, GivenName, FamilyName, DisplayName, Email, Status.ToString().ToLowerInvariant(),
        Status == UserStatus.Deactivated ? "no" : "yes", ManagedBy, ExternalId, OrganizationRole?.ToString(), Extension,
        string.Join("; ", Teams.Select(t => t.Team)),
        string.Join("; ", Teams.Select(t => $"{t.Team}: {t.Role.ToString().ToUpperInvariant()}")),
        CreatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
    ];
}

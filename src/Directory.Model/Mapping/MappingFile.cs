using ScimBridge.Model.Organizations;
using ScimBridge.Model.Teams;

namespace ScimBridge.Model.Mapping;

/// <summary>One organization's parsed mapping file: which identity-provider groups grant which teams and roles.</summary>
/// <param name="FileName">The file's name inside the mappings folder, e.g. <c>acme.yaml</c>.</param>
/// <param name="Version">SHA-256 of the file's bytes; audit entries name it as the file version.</param>
public sealed record MappingFile(
    string FileName,
    string Version,
    string Organization,
    UnmappedUserPolicy UnmappedUsers,
    bool CreateMissingTeams,
    DefaultTeamChoice DefaultTeam,
    IReadOnlyList<TeamRule> Rules,
    IReadOnlyList<OrganizationRoleRule> OrganizationRoles,
    int OrganizationLine = 1,
    int OrganizationColumn = 1)
{
    /// <summary>The first 12 characters of the version, enough to tell files apart in logs and audit causes.</summary>
    public string ShortVersion => Version[..Math.Min(12, Version.Length)];

    /// <summary>The file's text as parsed; stored with the applied version so it can stay in force after a restart.</summary>
    public string Text { get; init; } = "";

    public string Describe() => $"{FileName}@{ShortVersion}";
}

/// <summary>What happens to a user who is in no group any rule matches.</summary>
public enum UnmappedUserPolicy
{
    /// <summary>The user stays active, without mapped teams.</summary>
    Keep,

    /// <summary>The user is deactivated (audited, and reactivated when a mapped group takes them in again).</summary>
    Deactivate,
}

/// <summary>How a user's default team is chosen when the current one is not among the user's teams.</summary>
public enum DefaultTeamPolicy
{
    /// <summary>The team where the user has the highest role; ties go to the earlier rule.</summary>
    HighestRole,

    /// <summary>The team of the first rule (in file order) that applies to the user.</summary>
    FirstRule,

    /// <summary>A named team when the user is in it, otherwise as <see cref="HighestRole"/>.</summary>
    Named,
}

/// <summary>The default-team setting of a mapping file.</summary>
public sealed record DefaultTeamChoice(DefaultTeamPolicy Policy, string? TeamName = null)
{
    public static readonly DefaultTeamChoice HighestRole = new(DefaultTeamPolicy.HighestRole);
}

/// <summary>A rule: members of a matching group get <paramref name="Role"/> in <paramref name="Team"/>.</summary>
/// <param name="Number">1-based position among the file's rules; earlier rules win ties.</param>
/// <param name="Line">Where the rule starts in the file.</param>
public sealed record TeamRule(int Number, GroupMatch Group, string Team, TeamRole Role, int Line, int Column = 1)
{
    public string Describe() => $"rule {Number} (line {Line}: {Group} -> {Team} {Role.ToString().ToUpperInvariant()})";
}

/// <summary>An organization-wide role granted to members of a matching group.</summary>
public sealed record OrganizationRoleRule(int Number, GroupMatch Group, OrganizationRole Role, int Line, int Column = 1)
{
    public string Describe() => $"organization role rule {Number} (line {Line}: {Group} -> {Role})";
}

using System.Globalization;
using ScimBridge.Model.Teams;

namespace ScimBridge.Scim.Admin.Teams;

/// <summary>
/// The team form as posted: base numbers ticked among the organization's numbers, other lists one entry per line (or
/// comma), so that every mistake reaches the domain's rules (<see cref="TeamSettingsRules"/>) and comes back next to its
/// field in words.
/// </summary>
public sealed class TeamForm
{
    /// <summary>Scopes offered as checkboxes; others are typed.</summary>
    public static readonly IReadOnlyList<string> KnownScopes = ["CREATE_CALL_TOKEN", "READ_CALL_TOKEN"];

    public string? Name { get; set; }
    public List<string> BaseNumbers { get; set; } = [];
    public string? ServerGroups { get; set; }
    public bool RecordingEnabled { get; set; }
    public bool SmsEnabled { get; set; } = true;
    public string? NotificationsJson { get; set; }
    public List<string> Scopes { get; set; } = [];
    public string? OtherScopes { get; set; }
    public string? MaxApiKeys { get; set; } = "2";
    public string? MaxRequestsPerDay { get; set; }

    /// <summary>The team's version the form was filled from; a save on a newer version is refused.</summary>
    public int Version { get; set; }

    public static TeamForm From(Team team) => new()
    {
        Name = team.Name,
        BaseNumbers = [.. team.BaseNumbers],
        ServerGroups = string.Join('\n', team.ServerGroups),
        RecordingEnabled = team.RecordingEnabled,
        SmsEnabled = team.SmsEnabled,
        NotificationsJson = team.NotificationsJson,
        Scopes = [.. team.ApiScopes.Where(KnownScopes.Contains)],
        OtherScopes = string.Join(", ", team.ApiScopes.Where(s => !KnownScopes.Contains(s))),
        MaxApiKeys = team.MaxApiKeys.ToString(CultureInfo.InvariantCulture),
        MaxRequestsPerDay = team.MaxRequestsPerDay?.ToString(CultureInfo.InvariantCulture),
        Version = team.Version,
    };

    /// <summary>The settings the form holds, or the fields that are not even numbers.</summary>
    public (TeamSettings Settings, IReadOnlyList<ValueProblem> Problems) ToSettings()
    {
        var problems = new List<ValueProblem>();
        var maxKeys = 2;
        if (!string.IsNullOrWhiteSpace(MaxApiKeys) && !int.TryParse(MaxApiKeys.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out maxKeys))
        {
            problems.Add(new("MaxApiKeys", $"Max API keys must be a whole number, not '{MaxApiKeys.Trim()}'."));
        }

        int? perDay = null;
        if (!string.IsNullOrWhiteSpace(MaxRequestsPerDay))
        {
            if (int.TryParse(MaxRequestsPerDay.Trim(), NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out var parsed))
            {
                perDay = parsed;
            }
            else
            {
                problems.Add(new("MaxRequestsPerDay", $"Max requests per day must be a whole number (empty: unlimited), not '{MaxRequestsPerDay.Trim()}'."));
            }
        }

        var settings = new TeamSettings
        {
            BaseNumbers = [.. BaseNumbers.Where(n => !string.IsNullOrWhiteSpace(n))],
            ServerGroups = Lines(ServerGroups),
            RecordingEnabled = RecordingEnabled,
            SmsEnabled = SmsEnabled,
            NotificationsJson = NotificationsJson,
            ApiScopes = [.. Scopes.Concat(Lines(OtherScopes))],
            MaxApiKeys = maxKeys,
            MaxRequestsPerDay = perDay,
        };
        return (settings, problems);
    }

    private static List<string> Lines(string? text) =>
        [.. (text ?? "").Split(['\n', '\r', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}

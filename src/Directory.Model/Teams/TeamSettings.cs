namespace ScimBridge.Model.Teams;

/// <summary>A team's settings as an admin edits them: everything but its name, members and deletion.</summary>
public sealed record TeamSettings
{
    public IReadOnlyList<string> BaseNumbers { get; init; } = [];
    public IReadOnlyList<string> ServerGroups { get; init; } = [];
    public bool RecordingEnabled { get; init; }
    public bool SmsEnabled { get; init; } = true;
    public string? NotificationsJson { get; init; }
    public IReadOnlyList<string> ApiScopes { get; init; } = [];
    public int MaxApiKeys { get; init; } = 2;
    public int? MaxRequestsPerDay { get; init; }

    /// <summary>The settings a team has now.</summary>
    public static TeamSettings Of(Team team) => new()
    {
        BaseNumbers = [.. team.BaseNumbers],
        ServerGroups = [.. team.ServerGroups],
        RecordingEnabled = team.RecordingEnabled,
        SmsEnabled = team.SmsEnabled,
        NotificationsJson = team.NotificationsJson,
        ApiScopes = [.. team.ApiScopes],
        MaxApiKeys = team.MaxApiKeys,
        MaxRequestsPerDay = team.MaxRequestsPerDay,
    };

    internal void ApplyTo(Team team)
    {
        team.BaseNumbers = [.. BaseNumbers];
        team.ServerGroups = [.. ServerGroups];
        team.RecordingEnabled = RecordingEnabled;
        team.SmsEnabled = SmsEnabled;
        team.NotificationsJson = NotificationsJson;
        team.ApiScopes = [.. ApiScopes];
        team.MaxApiKeys = MaxApiKeys;
        team.MaxRequestsPerDay = MaxRequestsPerDay;
    }

    /// <summary>Whether both hold the same values (lists compared in order).</summary>
    public bool SameAs(TeamSettings other) =>
        BaseNumbers.SequenceEqual(other.BaseNumbers) && ServerGroups.SequenceEqual(other.ServerGroups)
        && RecordingEnabled == other.RecordingEnabled && SmsEnabled == other.SmsEnabled
        && NotificationsJson == other.NotificationsJson && ApiScopes.SequenceEqual(other.ApiScopes)
        && MaxApiKeys == other.MaxApiKeys && MaxRequestsPerDay == other.MaxRequestsPerDay;
}

using System.Text.Json;
using System.Text.Json.Serialization;

namespace ScimBridge.Sync.Sources.Entra;

/// <summary>
/// The two Graph delta links (users and groups) kept between runs as one opaque string. The links embed Graph's
/// state tokens: treat the serialized value like a cursor, never log it.
/// </summary>
internal sealed record EntraDeltaState(
    [property: JsonPropertyName("users")] string UsersDeltaLink,
    [property: JsonPropertyName("groups")] string GroupsDeltaLink)
{
    private const int CurrentVersion = 1;

    [JsonPropertyName("v")]
    public int Version { get; init; } = CurrentVersion;

    public string Serialize() => JsonSerializer.Serialize(this);

    /// <summary>
    /// Reads a stored state. Returns null (and a reason) when it is missing, unreadable, of another version, or points
    /// at a different Graph root than the one configured now: the caller then reads everything.
    /// </summary>
    public static EntraDeltaState? TryParse(string? value, string graphBaseUrl, out string? reason)
    {
        reason = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            reason = "no stored delta state";
            return null;
        }

        EntraDeltaState? state;
        try
        {
            state = JsonSerializer.Deserialize<EntraDeltaState>(value);
        }
        catch (JsonException)
        {
            reason = "stored delta state is not readable";
            return null;
        }

        var root = graphBaseUrl.TrimEnd('/') + "/";
        if (state is null || state.Version != CurrentVersion
            || string.IsNullOrEmpty(state.UsersDeltaLink) || string.IsNullOrEmpty(state.GroupsDeltaLink))
        {
            reason = "stored delta state is not readable";
            return null;
        }
        if (!state.UsersDeltaLink.StartsWith(root, StringComparison.OrdinalIgnoreCase)
            || !state.GroupsDeltaLink.StartsWith(root, StringComparison.OrdinalIgnoreCase))
        {
            reason = "stored delta state belongs to another Graph endpoint";
            return null;
        }
        return state;
    }
}

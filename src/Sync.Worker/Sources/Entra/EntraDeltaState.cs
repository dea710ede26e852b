using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ScimBridge.Sync.Sources.Entra;

/// <summary>
/// The two Graph delta links (users and groups) kept between runs as one opaque string. The links embed Graph's
/// state tokens: treat the serialized value like a cursor, never log it. <see cref="Scope"/> fingerprints what the links
/// were taken for (Graph root, selected properties, group scope): a delta link keeps the <c>$select</c> of the query that
/// started it, so links taken for another scope are not continued.
/// </summary>
internal sealed record EntraDeltaState(
    [property: JsonPropertyName("users")] string UsersDeltaLink,
    [property: JsonPropertyName("groups")] string GroupsDeltaLink,
    [property: JsonPropertyName("scope")] string Scope)
{
    private const int CurrentVersion = 1;

    [JsonPropertyName("v")]
    public int Version { get; init; } = CurrentVersion;

    /// <summary>Fingerprint of the settings and selections that shape what the delta links return.</summary>
    public static string ScopeOf(EntraSourceSettings settings, IEnumerable<string> userSelect, IEnumerable<string> groupSelect)
    {
        var groups = settings.GroupIds.Select(id => id.Trim().ToLowerInvariant()).Order(StringComparer.Ordinal);
        var text = string.Join('|', settings.GraphBaseUrl.TrimEnd('/').ToLowerInvariant(), string.Join(',', userSelect),
            string.Join(',', groupSelect), string.Join(',', groups));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
    }

    public string Serialize() => JsonSerializer.Serialize(this);

    /// <summary>
    /// Reads a stored state. Returns null (and a reason) when it is missing, unreadable, of another version, or points
    /// at a different Graph root or scope than the one configured now: the caller then reads everything.
    /// </summary>
    public static EntraDeltaState? TryParse(string? value, string graphBaseUrl, string expectedScope, out string? reason)
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
        if (state.Scope != expectedScope)
        {
            reason = "the configured scope changed since the delta links were taken";
            return null;
        }
        return state;
    }
}

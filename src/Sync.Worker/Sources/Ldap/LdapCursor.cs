using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ScimBridge.Sync.Sources.Ldap;

/// <summary>How a change-marker attribute orders entries.</summary>
internal enum LdapCursorKind
{
    /// <summary>GeneralizedTime (<c>modifyTimestamp</c>, <c>whenChanged</c>), one-second resolution.</summary>
    Timestamp,

    /// <summary>Update sequence number (<c>uSNChanged</c>), a per-server counter.</summary>
    Usn,
}

/// <summary>
/// Where an incremental read continues: the change-marker attribute and its value, bound to the read's scope so a
/// changed URL, base DN or filter starts over with a full read. Serialized into <c>NextDeltaState</c>.
/// </summary>
internal sealed record LdapCursor(string Attribute, string Scope, string Value, byte[]? DirSyncCookie = null)
{
    private const string Prefix = "ldap-v1";
    private const string TimestampFormat = "yyyyMMddHHmmss";

    public static LdapCursorKind? KindOf(string attribute) => attribute.ToUpperInvariant() switch
    {
        "MODIFYTIMESTAMP" or "WHENCHANGED" => LdapCursorKind.Timestamp,
        "USNCHANGED" => LdapCursorKind.Usn,
        _ => null,
    };

    public LdapCursorKind Kind => KindOf(Attribute) ?? throw new InvalidOperationException($"'{Attribute}' is no change marker.");

    /// <summary>A fingerprint of everything that decides which entries a read sees.</summary>
    public static string ScopeOf(LdapSourceSettings settings)
    {
        var parts = string.Join("\n", new[] { settings.Url, settings.EffectiveUserFilter, settings.EffectiveGroupFilter, settings.DisabledFilter ?? "" }
            .Concat(settings.EffectiveUserBaseDns).Concat(["|"]).Concat(settings.EffectiveGroupBaseDns)
            .Select(p => p.ToUpperInvariant()));
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(parts)))[..16];
    }

    /// <summary>The stored cursor when it fits this attribute and scope; otherwise null and why (the read is then full).</summary>
    public static LdapCursor? TryParse(string? state, string attribute, string scope, out string reason)
    {
        if (string.IsNullOrEmpty(state))
        {
            reason = "no earlier read";
            return null;
        }
        var parts = state.Split(';');
        if (parts.Length is not (4 or 5) || parts[0] != Prefix || Normalize(parts[1], parts[3]) is not { } value
            || (parts.Length == 5 && DirSyncCookieOf(parts[4]) is null))
        {
            reason = "stored state is not an LDAP cursor";
            return null;
        }
        if (!string.Equals(parts[1], attribute, StringComparison.OrdinalIgnoreCase))
        {
            reason = $"change marker is now {attribute}, was {parts[1]}";
            return null;
        }
        if (parts[2] != scope)
        {
            reason = "URL, base DNs or filters changed since the last read";
            return null;
        }
        reason = "";
        return new LdapCursor(attribute, scope, value, parts.Length == 5 ? DirSyncCookieOf(parts[4]) : null);
    }

    public string Serialize() => DirSyncCookie is null
        ? string.Join(';', Prefix, Attribute, Scope, Value)
        : string.Join(';', Prefix, Attribute, Scope, Value, Convert.ToBase64String(DirSyncCookie));

    private static byte[]? DirSyncCookieOf(string text)
    {
        var bytes = new byte[text.Length];
        return Convert.TryFromBase64String(text, bytes, out var length) && length > 0 ? bytes[..length] : null;
    }

    /// <summary>The filter clause selecting entries changed at or after this cursor (timestamps looking back by the overlap).</summary>
    public string FilterClause(TimeSpan overlap)
    {
        if (Kind == LdapCursorKind.Usn)
        {
            return $"({Attribute}>={Value})";
        }
        var since = ParseTimestamp(Value)!.Value - overlap;
        return $"({Attribute}>={since.ToString(TimestampFormat, CultureInfo.InvariantCulture)}Z)";
    }

    /// <summary>The later of two marker values of the same attribute; null values lose.</summary>
    public static string? Later(string attribute, string? a, string? b)
    {
        if (a is null || b is null)
        {
            return a ?? b;
        }
        return KindOf(attribute) == LdapCursorKind.Usn
            ? (long.Parse(a, CultureInfo.InvariantCulture) >= long.Parse(b, CultureInfo.InvariantCulture) ? a : b)
            : (ParseTimestamp(a) >= ParseTimestamp(b) ? a : b);
    }

    /// <summary>A marker value as read from an entry, in the form a filter takes; null when it cannot be read.</summary>
    public static string? Normalize(string attribute, string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }
        return KindOf(attribute) switch
        {
            LdapCursorKind.Usn => long.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var usn) ? usn.ToString(CultureInfo.InvariantCulture) : null,
            LdapCursorKind.Timestamp => ParseTimestamp(raw) is { } time ? time.ToString(TimestampFormat, CultureInfo.InvariantCulture) + "Z" : null,
            _ => null,
        };
    }

    /// <summary>GeneralizedTime in UTC: <c>20261201161900Z</c>, optionally with a fraction (<c>.0Z</c>, as AD writes it).</summary>
    private static DateTimeOffset? ParseTimestamp(string raw)
    {
        var text = raw.Trim();
        if (!text.EndsWith('Z') || text.Length < 15)
        {
            return null;
        }
        return DateTimeOffset.TryParseExact(text[..14], TimestampFormat, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value) ? value : null;
    }
}

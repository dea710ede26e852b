using System.Text.RegularExpressions;

namespace ScimBridge.Model.Mapping;

/// <summary>How a rule names its group.</summary>
public enum GroupMatchKind
{
    /// <summary>Exact display name, case-insensitive (SCIM displayName, Entra or LDAP name).</summary>
    DisplayName,

    /// <summary>The identity provider's id: SCIM externalId, Entra object id, LDAP entryUUID; or ScimBridge's own group id.</summary>
    Id,

    /// <summary>LDAP distinguished name, compared after normalization.</summary>
    LdapDn,

    /// <summary>The LDAP common name: the first RDN of the DN when it is a cn, otherwise the display name.</summary>
    Cn,

    /// <summary>A regular expression on the display name, case-insensitive.</summary>
    Pattern,

    /// <summary>A glob (<c>*</c>, <c>?</c>) on the display name, case-insensitive.</summary>
    Glob,
}

/// <summary>What a rule matches groups by; <see cref="Matches"/> is pure and case-insensitive.</summary>
public sealed class GroupMatch
{
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(100);
    private readonly Regex? _regex;
    private readonly string _normalized;

    private GroupMatch(GroupMatchKind kind, string value, Regex? regex)
    {
        Kind = kind;
        Value = value;
        _regex = regex;
        _normalized = kind == GroupMatchKind.LdapDn ? NormalizeDn(value) : value.Trim().ToUpperInvariant();
    }

    public GroupMatchKind Kind { get; }
    public string Value { get; }

    /// <summary>Identity used to find duplicate rules: same kind and same normalized value.</summary>
    public string Key => $"{Kind}:{_normalized}";

    /// <summary>Creates a match; throws <see cref="ArgumentException"/> when a pattern does not compile.</summary>
    public static GroupMatch Create(GroupMatchKind kind, string value) => kind switch
    {
        GroupMatchKind.Pattern => new(kind, value, new Regex(value, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, RegexTimeout)),
        GroupMatchKind.Glob => new(kind, value, new Regex(GlobToRegex(value), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, RegexTimeout)),
        _ => new(kind, value, null),
    };

    public bool Matches(GroupIdentity group) => Kind switch
    {
        GroupMatchKind.DisplayName => Same(group.DisplayName, _normalized),
        GroupMatchKind.Id => Same(group.ExternalId, _normalized) || Same(group.Id.ToString(), _normalized),
        GroupMatchKind.LdapDn => group.DistinguishedName is { } dn && NormalizeDn(dn) == _normalized,
        GroupMatchKind.Cn => Same(CommonName(group), _normalized),
        GroupMatchKind.Pattern or GroupMatchKind.Glob => _regex!.IsMatch(group.DisplayName),
        _ => false,
    };

    public override string ToString() => $"{char.ToLowerInvariant(Kind.ToString()[0])}{Kind.ToString()[1..]} \"{Value}\"";

    /// <summary>Lower-cases a DN and drops the blanks around separators, so <c>CN=Eng, OU=Groups</c> equals <c>cn=eng,ou=groups</c>.</summary>
    public static string NormalizeDn(string dn)
    {
        var parts = dn.Split(',');
        for (var i = 0; i < parts.Length; i++)
        {
            var rdn = parts[i];
            var eq = rdn.IndexOf('=', StringComparison.Ordinal);
            parts[i] = eq < 0
                ? rdn.Trim().ToUpperInvariant()
                : $"{rdn[..eq].Trim().ToUpperInvariant()}={rdn[(eq + 1)..].Trim().ToUpperInvariant()}";
        }

        return string.Join(',', parts);
    }

    private static string? CommonName(GroupIdentity group)
    {
        if (group.DistinguishedName is { } dn)
        {
            var first = dn.Split(',')[0];
            var eq = first.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0 && first[..eq].Trim().Equals("cn", StringComparison.OrdinalIgnoreCase))
            {
                return first[(eq + 1)..];
            }
        }

        return group.DisplayName;
    }

    private static bool Same(string? value, string normalized) =>
        value is not null && string.Equals(value.Trim().ToUpperInvariant(), normalized, StringComparison.Ordinal);

    private static string GlobToRegex(string glob) =>
        "^" + Regex.Escape(glob).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$";
}

/// <summary>The attributes of a directory group that rules can match on.</summary>
public readonly record struct GroupIdentity(Guid Id, string DisplayName, string? ExternalId, string? DistinguishedName);

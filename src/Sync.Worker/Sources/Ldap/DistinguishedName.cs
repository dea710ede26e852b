using System.Buffers;
using System.Text;

namespace ScimBridge.Sync.Sources.Ldap;

/// <summary>DN comparison as directories do it for the usual attributes: case-insensitive, blanks around separators ignored.</summary>
internal static class DistinguishedName
{
    public static string Normalize(string dn)
    {
        // Most DNs a server sends are normalized already (a dense directory sends a million member values): keep them.
        if (IsNormalized(dn))
        {
            return dn;
        }
        var text = dn.Trim();
        var result = new StringBuilder(text.Length);
        var skipBlanks = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\\' && i + 1 < text.Length)
            {
                result.Append(c).Append(char.ToLowerInvariant(text[++i]));
                skipBlanks = false;
                continue;
            }
            if (c is ',' or '=' or '+')
            {
                while (result.Length > 0 && result[^1] == ' ' && !IsEscaped(result, result.Length - 1))
                {
                    result.Length--;
                }
                result.Append(c);
                skipBlanks = true;
                continue;
            }
            if (c == ' ' && skipBlanks)
            {
                continue;
            }
            skipBlanks = false;
            result.Append(char.ToLowerInvariant(c));
        }
        return result.ToString();
    }

    /// <summary>Whether <see cref="Normalize"/> would return the DN as it is.</summary>
    public static bool IsNormalized(ReadOnlySpan<char> dn)
    {
        if (dn.Length == 0 || char.IsWhiteSpace(dn[0]) || char.IsWhiteSpace(dn[^1]))
        {
            return dn.Length == 0;
        }
        if (dn.ContainsAny(NeedsWork))
        {
            return false;
        }
        if (!dn.ContainsAnyExceptInRange('\0', '\u007f'))
        {
            return true;
        }
        foreach (var c in dn)
        {
            if (char.ToLowerInvariant(c) != c)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Characters an ASCII DN in normal form does not contain (blanks and escapes are looked at closely).</summary>
    private static readonly SearchValues<char> NeedsWork = SearchValues.Create(" \\ABCDEFGHIJKLMNOPQRSTUVWXYZ");

    private static bool IsEscaped(StringBuilder text, int index)
    {
        var backslashes = 0;
        for (var i = index - 1; i >= 0 && text[i] == '\\'; i--)
        {
            backslashes++;
        }
        return backslashes % 2 == 1;
    }
}

using System.Text.RegularExpressions;

namespace ScimBridge.Model.Organizations;

/// <summary>How the platform writes phone numbers: international form (E.164), whatever spacing an admin typed.</summary>
public static partial class PhoneNumbers
{
    /// <summary>Removes what people type around digits: spaces, hyphens, dots, parentheses.</summary>
    public static string Normalize(string number) =>
        new([.. number.Trim().Where(c => c is not (' ' or '-' or '.' or '(' or ')' or '\u00A0'))]);

    /// <summary>Whether a normalized number is in international form: a <c>+</c> and 7 to 15 digits, not starting with 0.</summary>
    public static bool IsInternational(string normalized) => E164().IsMatch(normalized);

    /// <summary>What is wrong with a typed number, or null when its normalized form is a valid number.</summary>
    public static string? Problem(string typed) =>
        IsInternational(Normalize(typed)) ? null : $"'{typed.Trim()}' is not a phone number in international form, e.g. +4930123456 (a + and 7 to 15 digits).";

    [GeneratedRegex(@"^\+[1-9][0-9]{6,14}$")]
    private static partial Regex E164();
}

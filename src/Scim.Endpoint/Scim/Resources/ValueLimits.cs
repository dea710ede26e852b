using ScimBridge.Scim.Errors;

namespace ScimBridge.Scim.Resources;

/// <summary>
/// Bounds on what one attribute value may hold (<see cref="Options.ScimOptions.MaxValueLength"/>,
/// <see cref="Options.ScimOptions.MaxValuesPerAttribute"/>). Control characters are refused everywhere except tab and line
/// breaks in free text, and there too in identifiers (userName, externalId, e-mail addresses); a NUL would be cut off by
/// some clients and stored whole by others.
/// </summary>
public sealed record ValueLimits(int MaxLength, int MaxValues)
{
    public static readonly ValueLimits Default = new(1024, 100);

    /// <summary>A free-text value: length, and no control characters but tab, CR and LF.</summary>
    public void Text(string attribute, string? value) => Check(attribute, value, allowLineBreaks: true);

    /// <summary>An identifier: length, and no control characters at all.</summary>
    public void Identifier(string attribute, string? value) => Check(attribute, value, allowLineBreaks: false);

    public void Count(string attribute, int count)
    {
        if (count > MaxValues)
        {
            throw ScimException.InvalidValue($"'{attribute}' has {count} values; the limit is {MaxValues}.");
        }
    }

    private void Check(string attribute, string? value, bool allowLineBreaks)
    {
        if (value is null)
        {
            return;
        }

        if (value.Length > MaxLength)
        {
            throw ScimException.InvalidValue($"'{attribute}' is {value.Length} characters long; the limit is {MaxLength}.");
        }

        foreach (var c in value)
        {
            if (char.IsControl(c) && !(allowLineBreaks && c is '\t' or '\r' or '\n'))
            {
                throw ScimException.InvalidValue($"'{attribute}' contains the control character U+{(int)c:X4}.");
            }
        }
    }
}

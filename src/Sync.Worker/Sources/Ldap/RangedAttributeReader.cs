using System.Globalization;
using ScimBridge.Model.Reconcile;

namespace ScimBridge.Sync.Sources.Ldap;

/// <summary>One attribute as a server returned it: its description (<c>member</c>, <c>member;range=0-1499</c>) and values.</summary>
internal sealed record LdapValues(string Description, IReadOnlyList<string> Values);

/// <summary>
/// Range retrieval (Active Directory's answer to a multi-valued attribute larger than MaxValRange, 1,500 by default):
/// the entry carries <c>member;range=0-1499</c> and an empty <c>member</c>; the rest is asked for as
/// <c>member;range=1500-*</c> until the server answers with a range ending in <c>*</c>. Gaps or a missing range fail the read.
/// </summary>
internal static class RangedAttributeReader
{
    /// <summary>A ceiling on round trips; AD's largest groups stay far below it (10,000 × 1,500 values).</summary>
    private const int MaxRounds = 10_000;

    /// <summary>Parses <c>attribute;range=START-END</c>; <paramref name="end"/> is null for <c>*</c> (the last range).</summary>
    public static bool TryParseRange(string description, string attribute, out int start, out int? end)
    {
        start = 0;
        end = null;
        var prefix = attribute + ";range=";
        if (!description.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        var bounds = description[prefix.Length..].Split('-');
        if (bounds.Length != 2 || !int.TryParse(bounds[0], NumberStyles.None, CultureInfo.InvariantCulture, out start))
        {
            return false;
        }
        if (bounds[1] == "*")
        {
            return true;
        }
        if (!int.TryParse(bounds[1], NumberStyles.None, CultureInfo.InvariantCulture, out var last) || last < start - 1)
        {
            return false;
        }
        end = last;
        return true;
    }

    /// <summary>
    /// All values of <paramref name="attribute"/>: the plain values when the entry has them, otherwise the first range
    /// followed by ranges fetched with <paramref name="fetchRange"/> (argument: the attribute description to request).
    /// </summary>
    public static async Task<List<string>> ReadAllAsync(
        string entryDn,
        string attribute,
        IReadOnlyList<LdapValues> entryAttributes,
        Func<string, CancellationToken, Task<IReadOnlyList<LdapValues>>> fetchRange,
        CancellationToken ct)
    {
        var values = new List<string>();
        var ranged = FindRange(entryAttributes, attribute);
        if (ranged is null)
        {
            foreach (var plain in entryAttributes.Where(a => string.Equals(a.Description, attribute, StringComparison.OrdinalIgnoreCase)))
            {
                values.AddRange(plain.Values);
            }
            return values;
        }

        var (range, start, end) = ranged.Value;
        if (start != 0)
        {
            throw new DirectoryReadException($"'{entryDn}': the first range of {attribute} starts at {start}, not 0.");
        }
        values.AddRange(range.Values);
        for (var round = 0; end is { } last; round++)
        {
            if (round == MaxRounds)
            {
                throw new DirectoryReadException($"'{entryDn}': {attribute} did not end after {MaxRounds} ranges.");
            }
            ct.ThrowIfCancellationRequested();
            var next = last + 1;
            var answer = await fetchRange($"{attribute};range={next}-*", ct);
            (range, start, end) = FindRange(answer, attribute)
                ?? throw new DirectoryReadException($"'{entryDn}': the server returned no range of {attribute} from {next} on.");
            if (start != next)
            {
                throw new DirectoryReadException($"'{entryDn}': asked for {attribute} from {next}, the server answered from {start}.");
            }
            values.AddRange(range.Values);
        }
        return values;
    }

    /// <summary>Whether the entry's values of <paramref name="attribute"/> come in ranges (more must be fetched).</summary>
    public static bool IsRanged(IReadOnlyList<LdapValues> entryAttributes, string attribute) => FindRange(entryAttributes, attribute) is not null;

    private static (LdapValues Range, int Start, int? End)? FindRange(IReadOnlyList<LdapValues> attributes, string attribute)
    {
        foreach (var candidate in attributes)
        {
            if (TryParseRange(candidate.Description, attribute, out var start, out var end))
            {
                return (candidate, start, end);
            }
        }
        return null;
    }
}

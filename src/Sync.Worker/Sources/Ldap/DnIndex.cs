using System.Text;

namespace ScimBridge.Sync.Sources.Ldap;

/// <summary>
/// Entries' stable ids by DN, for turning member values into keys. A dense directory sends over a million member
/// values, nearly all written exactly as the server writes the member's own DN: those are found from their UTF-8 bytes
/// without a string being made for them. Only a value that is not found that way is normalized
/// (<see cref="DistinguishedName"/>) and looked up again. Each key has an ordinal, so a group's members are told apart
/// without hashing keys again.
/// </summary>
internal sealed class DnIndex
{
    /// <summary>DNs longer than this (in UTF-16 code units) are decoded into an array instead of the stack.</summary>
    public const int StackLimit = 512;

    private readonly Dictionary<string, int> _byDn = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _bySpan;
    private readonly Dictionary<string, int> _ordinalByKey = new(StringComparer.Ordinal);
    private Dictionary<string, int>? _byNormalizedDn;
    private bool _allNormalized = true;

    public DnIndex()
    {
        _bySpan = _byDn.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Keys by ordinal.</summary>
    public List<string> Keys { get; } = [];

    public void Add(string dn, string key)
    {
        if (!_ordinalByKey.TryGetValue(key, out var ordinal))
        {
            ordinal = Keys.Count;
            Keys.Add(key);
            _ordinalByKey[key] = ordinal;
        }
        _byDn[dn] = ordinal;
        _allNormalized &= DistinguishedName.IsNormalized(dn);
        _byNormalizedDn?.TryAdd(DistinguishedName.Normalize(dn), ordinal);
    }

    /// <summary>Room for <paramref name="count"/> entries in all, so that adding many does not grow the tables step by step.</summary>
    public void EnsureCapacity(int count)
    {
        _byDn.EnsureCapacity(count);
        _ordinalByKey.EnsureCapacity(count);
        Keys.EnsureCapacity(count);
    }

    /// <summary>The ordinal of the entry a member value names: as written, or else after normalization.</summary>
    public bool TryFind(ReadOnlySpan<char> dn, out int ordinal)
    {
        if (_bySpan.TryGetValue(dn, out ordinal))
        {
            return true;
        }
        if (_allNormalized && DistinguishedName.IsNormalized(dn))
        {
            // Both sides in normal form already: written differently means a different entry.
            return false;
        }
        if (_byNormalizedDn is null)
        {
            _byNormalizedDn = new Dictionary<string, int>(_byDn.Count, StringComparer.Ordinal);
            foreach (var (written, known) in _byDn)
            {
                _byNormalizedDn.TryAdd(DistinguishedName.Normalize(written), known);
            }
        }
        return _byNormalizedDn.TryGetValue(DistinguishedName.Normalize(dn.ToString()), out ordinal);
    }

    /// <summary>A member value as the server sent it (UTF-8) in <paramref name="buffer"/>, or in a new array when longer.</summary>
    public static ReadOnlySpan<char> Decode(byte[] utf8, Span<char> buffer)
    {
        if (Encoding.UTF8.GetMaxCharCount(utf8.Length) > buffer.Length && Encoding.UTF8.GetCharCount(utf8) > buffer.Length)
        {
            return Encoding.UTF8.GetString(utf8);
        }
        var length = Encoding.UTF8.GetChars(utf8, buffer);
        return buffer[..length];
    }
}

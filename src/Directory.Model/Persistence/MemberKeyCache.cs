using Microsoft.EntityFrameworkCore;

namespace ScimBridge.Model.Persistence;

/// <summary>
/// The member numbers (<see cref="Groups.MemberKey"/>) one context has seen, kept across its transactions: a sync writes
/// a million member rows in dozens of transactions, and reading the numbers anew for each cost seconds. A committed
/// number never changes and never goes away; numbers given inside a transaction that then rolled back are forgotten
/// (all of them, which is rare and only costs a read).
/// </summary>
internal sealed class MemberKeyCache
{
    private object? _givenIn;
    private long _lastGiven;
    private Guid _lastGivenId;

    private readonly Dictionary<Guid, long> _keys = [];

    // Number → id. Numbers are given in sequence, so most of them index an array (a sync looks up hundreds of
    // thousands of numbers, and an array needs no hashing); a number far beyond the count known goes to the dictionary.
    private Guid[] _ids = [];
    private readonly Dictionary<long, Guid> _sparseIds = [];

    /// <summary>Id → number of every number known.</summary>
    public IReadOnlyDictionary<Guid, long> Keys => _keys;

    /// <summary>Room for <paramref name="count"/> numbers in all (when about to read that many).</summary>
    public void EnsureCapacity(int count)
    {
        _keys.EnsureCapacity(count);
        if (_ids.Length <= count)
        {
            System.Array.Resize(ref _ids, count + 1);
        }
    }

    public void Add(Guid id, long key)
    {
        _keys[id] = key;
        if (key >= 0 && key < _ids.Length)
        {
            _ids[key] = id;
        }
        else if (key >= 0 && key <= 2L * _keys.Count + 1024)
        {
            System.Array.Resize(ref _ids, (int)Math.Max(key + 1, Math.Min(2L * _ids.Length, 2L * _keys.Count + 1024)));
            _ids[key] = id;
        }
        else
        {
            _sparseIds[key] = id;
        }
    }

    /// <summary>The id of number <paramref name="key"/>, when known.</summary>
    public bool TryGetId(long key, out Guid id)
    {
        if (key >= 0 && key < _ids.Length)
        {
            id = _ids[key];
            return id != Guid.Empty || (_sparseIds.Count > 0 && _sparseIds.TryGetValue(key, out id));
        }
        return _sparseIds.TryGetValue(key, out id);
    }

    /// <summary>Every number up to this one is in <see cref="Keys"/> (the table was read whole); null when not so.</summary>
    public long? CompleteThrough { get; set; }

    /// <summary>Notes numbers given in the current transaction; <paramref name="key"/> is the highest of them.</summary>
    public void Given(ScimBridgeDbContext db, long key, Guid id)
    {
        _givenIn = db.Database.CurrentTransaction;
        _lastGiven = key;
        _lastGivenId = id;
    }

    /// <summary>Once the transaction that gave numbers has ended, keeps them only if it committed (its last number exists).</summary>
    public async Task ValidateAsync(ScimBridgeDbContext db, CancellationToken ct)
    {
        if (_givenIn is null || ReferenceEquals(_givenIn, db.Database.CurrentTransaction))
        {
            return;
        }

        _givenIn = null;
        var (key, id) = (_lastGiven, _lastGivenId);
        if (!await db.MemberKeys.AnyAsync(k => k.Key == key && k.EntityId == id, ct))
        {
            _keys.Clear();
            _ids = [];
            _sparseIds.Clear();
            CompleteThrough = null;
        }
    }
}

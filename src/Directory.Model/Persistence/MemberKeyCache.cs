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
    private readonly Dictionary<long, Guid> _ids = [];

    /// <summary>Id → number of every number known.</summary>
    public IReadOnlyDictionary<Guid, long> Keys => _keys;

    /// <summary>Number → id, the same pairs the other way round.</summary>
    public IReadOnlyDictionary<long, Guid> Ids => _ids;

    public void Add(Guid id, long key)
    {
        _keys[id] = key;
        _ids[key] = id;
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
            _ids.Clear();
            CompleteThrough = null;
        }
    }
}

namespace ScimBridge.Model.Persistence.Sqlite;

/// <summary>
/// Lets one unit of work at a time of this process into a SQLite write transaction. SQLite has a single writer anyway;
/// without the gate, concurrent requests all run <c>BEGIN IMMEDIATE</c> and the losers sleep in SQLite's busy handler
/// (1, 2, 5, 10… ms) while the lock is already free again. Waiting here hands the lock over at once. Other processes
/// (admin commands, a standalone sync worker) are still serialised by SQLite's own lock and busy timeout.
/// </summary>
public sealed class SqliteWriteGate : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<IDisposable> EnterAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        return new Lease(_gate);
    }

    public void Dispose() => _gate.Dispose();

    private sealed class Lease(SemaphoreSlim gate) : IDisposable
    {
        private SemaphoreSlim? _gate = gate;

        public void Dispose() => Interlocked.Exchange(ref _gate, null)?.Release();
    }
}

using ScimBridge.Model.Persistence;

namespace ScimBridge.Model.Provisioning;

/// <summary>
/// Where provisioning writes run: in the caller's transaction when there is one, otherwise in a new one that holds
/// the process's SQLite write gate (see <see cref="SqliteWriteGate"/>) and commits at the end.
/// </summary>
internal static class WriteTransaction
{
    public static async Task<T> RunAsync<T>(ScimBridgeDbContext db, Func<Task<T>> work, CancellationToken ct)
    {
        if (db.Database.CurrentTransaction is not null)
        {
            return await work();
        }

        using var gate = db.WriteGate is { } writeGate ? await writeGate.EnterAsync(ct) : null;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var result = await work();
        await transaction.CommitAsync(ct);
        return result;
    }

    public static Task RunAsync(ScimBridgeDbContext db, Func<Task> work, CancellationToken ct) =>
        RunAsync(db, async () =>
        {
            await work();
            return true;
        }, ct);
}

using System.Threading.Channels;
using ScimBridge.Model.Audit;
using ScimBridge.Model.Users;

namespace ScimBridge.Model.Persistence;

/// <summary>
/// The waiting line behind group commit for new users, shared by the SQLite and PostgreSQL writers: a create waits
/// here while a transaction is being written, and one loop hands up to <c>maxBatch</c> waiting creates to
/// <c>writeBatch</c> as the next transaction. The writers differ only in how they write a batch; every batch they are
/// given, they must complete every user's <see cref="NewUser.Done"/>, written or failed.
/// </summary>
internal sealed class NewUserQueue(int maxBatch, Func<List<NewUserQueue.NewUser>, Task> writeBatch, string owner)
{
    private readonly Channel<NewUser> _queue = Channel.CreateUnbounded<NewUser>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _start = new();
    private Task? _loop;

    /// <summary>Queues the user and waits until the transaction it joined has committed (or failed, which throws).</summary>
    public Task WriteAsync(User user, AuditEntry entry)
    {
        if (_loop is null)
        {
            lock (_start)
            {
                _loop ??= Task.Run(RunAsync);
            }
        }

        var pending = new NewUser(user, entry);
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(owner, "The service is shutting down.");
        }

        // Not cancellable: once queued the user may be committed, and the caller must learn which.
        return pending.Done.Task;
    }

    /// <summary>Takes no more users and waits until the ones queued are written.</summary>
    public async Task CompleteAsync()
    {
        _queue.Writer.TryComplete();
        if (_loop is { } loop)
        {
            await loop;
        }
    }

    private async Task RunAsync()
    {
        var batch = new List<NewUser>(maxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < maxBatch && _queue.Reader.TryRead(out var pending))
            {
                batch.Add(pending);
            }

            try
            {
                await writeBatch(batch);
            }
            catch (Exception e)
            {
                // The writer's own handling failed too: no user may wait forever.
                foreach (var pending in batch)
                {
                    pending.Done.TrySetException(e);
                }
            }

            batch.Clear();
        }
    }

    /// <summary>A create waiting for its transaction.</summary>
    public sealed class NewUser(User user, AuditEntry entry)
    {
        public User User { get; } = user;
        public AuditEntry Entry { get; } = entry;
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

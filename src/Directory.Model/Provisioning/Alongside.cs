using System.Collections.Concurrent;

namespace ScimBridge.Model.Provisioning;

/// <summary>
/// CPU work of a large write that needs no database, such as building thousands of audit entries, run on another core
/// while the caller's thread drives the database through its statements; small writes do it in place, where handing it
/// over would cost more than it saves.
/// </summary>
internal static class Alongside
{
    /// <summary>From this many items on, the work goes to the thread pool.</summary>
    internal const int OffloadFrom = 500;

    /// <summary>Starts <paramref name="work"/> over <paramref name="items"/> items; await the task once the database work is done.</summary>
    public static Task<T> Start<T>(int items, Func<T> work) =>
        items >= OffloadFrom ? Task.Run(work) : Task.FromResult(work());
}

/// <summary>
/// Work over items the caller's thread produces one at a time (rows as it writes them), done on another core as they
/// come when about <see cref="Alongside.OffloadFrom"/> or more are expected, otherwise in place at <see cref="CompleteAsync"/>.
/// Dispose it in every case: a worker still waiting for items then stops.
/// </summary>
internal sealed class Alongside<TItem, TResult> : IDisposable
{
    private readonly Func<IEnumerable<TItem>, TResult> _work;
    private readonly BlockingCollection<TItem>? _queue;
    private readonly List<TItem>? _items;
    private readonly Task<TResult>? _running;

    public Alongside(int expected, Func<IEnumerable<TItem>, TResult> work)
    {
        _work = work;
        if (expected >= Alongside.OffloadFrom)
        {
            _queue = [];
            _running = Task.Run(() => work(_queue.GetConsumingEnumerable()));
        }
        else
        {
            _items = [];
        }
    }

    public void Add(TItem item)
    {
        if (_queue is null)
        {
            _items!.Add(item);
        }
        else
        {
            _queue.Add(item);
        }
    }

    /// <summary>No more items: the work's result once it has seen them all.</summary>
    public Task<TResult> CompleteAsync()
    {
        if (_queue is null)
        {
            return Task.FromResult(_work(_items!));
        }

        _queue.CompleteAdding();
        return _running!;
    }

    public void Dispose()
    {
        if (_queue is { IsAddingCompleted: false })
        {
            _queue.CompleteAdding();
        }
    }
}

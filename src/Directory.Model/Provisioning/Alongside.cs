namespace ScimBridge.Model.Provisioning;

/// <summary>
/// CPU work of a large write that needs no database, such as building thousands of audit entries, run on another core
/// while the caller's thread drives the database through its statements; small writes do it in place, where handing it
/// over would cost more than it saves.
/// </summary>
internal static class Alongside
{
    /// <summary>From this many items on, the work goes to the thread pool.</summary>
    private const int OffloadFrom = 500;

    /// <summary>Starts <paramref name="work"/> over <paramref name="items"/> items; await the task once the database work is done.</summary>
    public static Task<T> Start<T>(int items, Func<T> work) =>
        items >= OffloadFrom ? Task.Run(work) : Task.FromResult(work());
}

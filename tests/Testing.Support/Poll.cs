using System.Diagnostics;

namespace ScimBridge.Testing;

/// <summary>
/// Waiting for something without guessing how long it takes: a condition is checked again and again until it holds.
/// The deadline only keeps a broken test from hanging; it is far above what any condition needs, even on a loaded machine.
/// </summary>
public static class Poll
{
    /// <summary>How long a condition may take before the wait fails.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromMinutes(2);

    public static async Task UntilAsync(Func<Task<bool>> condition, string what, Func<string>? details = null, TimeSpan? deadline = null)
    {
        var limit = deadline ?? Deadline;
        var waited = Stopwatch.StartNew();
        while (!await condition())
        {
            if (waited.Elapsed > limit)
            {
                throw new TimeoutException($"Still waiting for {what} after {limit.TotalSeconds:0} s. {details?.Invoke()}".TrimEnd());
            }
            await Task.Delay(50);
        }
    }

    public static Task UntilAsync(Func<bool> condition, string what, Func<string>? details = null, TimeSpan? deadline = null) =>
        UntilAsync(() => Task.FromResult(condition()), what, details, deadline);
}

namespace ScimBridge.Model.Commands;

/// <summary>
/// Shows how far a long command has got: a progress bar on a terminal, a plain line every few seconds when the output
/// is a pipe or a file, nothing in tests unless they ask. Written to standard error, so standard output keeps only the
/// command's result.
/// </summary>
public interface ICommandProgress
{
    /// <summary>Starts a step, e.g. <c>Start("Reading corp-ldap", total: null)</c>; dispose the step when it is done.</summary>
    /// <param name="description">What is being done, shown before the count.</param>
    /// <param name="total">How many items the step has, when known (a bar with a percentage); null for a running count.</param>
    /// <param name="unit">What is counted (<c>users</c>, <c>entries</c>), shown after the count.</param>
    ICommandProgressStep Start(string description, long? total = null, string unit = "items");
}

/// <summary>One step of a long command; thread-safe.</summary>
public interface ICommandProgressStep : IDisposable
{
    /// <summary>Sets how many items are done.</summary>
    void Report(long done);

    /// <summary>Adds to how many items are done.</summary>
    void Advance(long count = 1);

    /// <summary>Sets or corrects the total once it is known.</summary>
    void SetTotal(long total);
}

/// <summary>Progress that shows nothing (the service's own background work, tests).</summary>
public sealed class NoCommandProgress : ICommandProgress
{
    public ICommandProgressStep Start(string description, long? total = null, string unit = "items") => Step.Instance;

    private sealed class Step : ICommandProgressStep
    {
        public static readonly Step Instance = new();

        public void Report(long done)
        {
        }

        public void Advance(long count = 1)
        {
        }

        public void SetTotal(long total)
        {
        }

        public void Dispose()
        {
        }
    }
}

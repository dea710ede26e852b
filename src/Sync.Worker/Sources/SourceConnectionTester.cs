using ScimBridge.Model.Reconcile;

namespace ScimBridge.Sync.Sources;

/// <summary>The outcome of a connection test: the check when it worked, otherwise one line saying what failed.</summary>
public sealed record ConnectionTestResult(ConnectionCheck? Check, string? Failure)
{
    public bool Succeeded => Check is not null;
}

/// <summary>
/// Tests a configured source's connection (bind or sign-in, then a count of the users in scope) within the source's
/// <c>TimeoutSeconds</c>-style bound given here; writes nothing, records no run. Never throws for a failed test.
/// </summary>
public sealed class SourceConnectionTester(SyncSourceCatalog catalog, TimeProvider clock)
{
    /// <summary>Longest a test may take; a directory that answers slower than this is reported as not answering.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public async Task<ConnectionTestResult> TestAsync(ConfiguredSource source, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(source);
        IDirectorySource? directory = null;
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(Timeout);
        try
        {
            directory = catalog.Create(source);
            // WaitAsync bounds the test even when a source ignores its token.
            var check = await directory.CheckConnectionAsync(limit.Token).WaitAsync(Timeout, clock, ct);
            return new ConnectionTestResult(check, null);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested && ex is OperationCanceledException or TimeoutException)
        {
            return new ConnectionTestResult(null, $"'{source.Name}' did not answer within {Timeout.TotalSeconds:0} s");
        }
        catch (Exception ex) when (!ct.IsCancellationRequested && ex is DirectoryReadException or NotSupportedException or ArgumentException or InvalidOperationException)
        {
            return new ConnectionTestResult(null, ex.Message);
        }
        finally
        {
            (directory as IDisposable)?.Dispose();
        }
    }
}

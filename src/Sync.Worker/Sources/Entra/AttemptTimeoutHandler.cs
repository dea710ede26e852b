namespace ScimBridge.Sync.Sources.Entra;

/// <summary>
/// Bounds each HTTP attempt to Graph on its own. It sits below the retry handler, so waiting out a long Retry-After
/// (up to 180 s, three times) is not cut short the way a whole-pipeline <see cref="HttpClient.Timeout"/> would cut it.
/// </summary>
internal sealed class AttemptTimeoutHandler(TimeSpan timeout) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(timeout);
        try
        {
            return await base.SendAsync(request, attempt.Token);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Graph did not answer within {timeout.TotalSeconds:F0} s.", ex);
        }
    }
}

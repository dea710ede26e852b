using Microsoft.Extensions.Logging;
using ScimBridge.Model.Reconcile;

namespace ScimBridge.Sync.Sources.Entra;

/// <summary>
/// Guards one paged Graph read: a missing page body or a next link that repeats would otherwise end or loop the read
/// silently, so both fail it. Each page is fetched through <see cref="FetchAsync{T}"/>: a truncated or reset answer is
/// tried once more after a short pause, and any other failure names what was read, the page and its URL.
/// </summary>
internal sealed class GraphPaging(string what, ILogger? logger = null)
{
    /// <summary>Pause before the one retry of a broken answer.</summary>
    internal static TimeSpan RetryDelay { get; } = TimeSpan.FromSeconds(1);

    /// <summary>Far above any real tenant (999 objects a page); stops a server that never ends its paging.</summary>
    private const int MaxPages = 100_000;

    private readonly HashSet<string> _seenLinks = new(StringComparer.Ordinal);

    public int Count { get; private set; }

    /// <summary>Fetches the next page (<paramref name="url"/> null for the first, built from the request).</summary>
    public async Task<T?> FetchAsync<T>(string? url, Func<Task<T?>> fetch, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await fetch();
            }
            catch (Exception ex) when (attempt == 1 && !ct.IsCancellationRequested && GraphFailure.IsTransient(ex))
            {
                logger?.LogWarning("Graph broke off page {Page} of {What} ({Reason}); trying once more", Count + 1, what, GraphFailure.Describe(ex));
                await Task.Delay(RetryDelay, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException and not DirectoryReadException || !ct.IsCancellationRequested && ex is OperationCanceledException)
            {
                throw new DirectoryReadException($"reading {what}, page {Count + 1}{(url is null ? "" : $" ({url})")}: {GraphFailure.Describe(ex)}", ex);
            }
        }
    }

    public void Received(object? page)
    {
        if (page is null)
        {
            throw new DirectoryReadException($"Graph returned an empty page while reading {what}.");
        }
        Count++;
    }

    /// <summary>The link to read next, or null when the previous page was the last.</summary>
    public string? Next(string? nextLink)
    {
        if (string.IsNullOrEmpty(nextLink))
        {
            return null;
        }
        if (!_seenLinks.Add(nextLink) || Count >= MaxPages)
        {
            throw new DirectoryReadException($"Graph paging of {what} does not end (a next link repeats).");
        }
        return nextLink;
    }
}

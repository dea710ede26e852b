using ScimBridge.Model.Reconcile;

namespace ScimBridge.Sync.Sources.Entra;

/// <summary>
/// Guards one paged Graph read: a missing page body or a next link that repeats would otherwise end or loop the read
/// silently, so both fail it.
/// </summary>
internal sealed class GraphPaging(string what)
{
    /// <summary>Far above any real tenant (999 objects a page); stops a server that never ends its paging.</summary>
    private const int MaxPages = 100_000;

    private readonly HashSet<string> _seenLinks = new(StringComparer.Ordinal);

    public int Count { get; private set; }

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

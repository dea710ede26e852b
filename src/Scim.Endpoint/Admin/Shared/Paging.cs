namespace ScimBridge.Scim.Admin.Shared;

/// <summary>A page of a server-side list: its rows, the total count and the page asked for (1-based).</summary>
public sealed record Paged<T>(IReadOnlyList<T> Rows, int Total, int Page, int PageSize);

/// <summary>Page numbers and sizes from the query string, clamped to what the console serves.</summary>
public static class Paging
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;

    public static int Size(int? requested) => requested is > 0 and <= MaxPageSize ? requested.Value : DefaultPageSize;

    public static int Number(int? requested) => requested is > 0 ? requested.Value : 1;

    public static int Skip(int page, int size) => (page - 1) * size;
}

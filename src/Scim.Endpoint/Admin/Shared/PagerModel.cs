using Microsoft.Extensions.Primitives;

namespace ScimBridge.Scim.Admin.Shared;

/// <summary>What <c>_Pager</c> shows: counts and links to other pages of the same query.</summary>
public sealed class PagerModel(HttpRequest request, int total, int page, int pageSize)
{
    public int Total { get; } = total;
    public int Page { get; } = page;
    public int PageCount => Math.Max(1, (Total + pageSize - 1) / pageSize);
    public int First => Total == 0 ? 0 : ((Page - 1) * pageSize) + 1;
    public int Last => Math.Min(Total, Page * pageSize);
    public bool HasPrevious => Page > 1;
    public bool HasNext => Page < PageCount;

    public static PagerModel For<T>(HttpRequest request, Paged<T> paged) => new(request, paged.Total, paged.Page, paged.PageSize);

    public string Link(int target)
    {
        var query = request.Query.Where(q => !q.Key.Equals("page", StringComparison.OrdinalIgnoreCase))
            .Select(q => new KeyValuePair<string, StringValues>(q.Key, q.Value))
            .Append(new KeyValuePair<string, StringValues>("page", target.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return request.Path + QueryString.Create(query).ToUriComponent();
    }
}

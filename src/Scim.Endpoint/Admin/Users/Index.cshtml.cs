using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using ScimBridge.Model.Persistence;
using ScimBridge.Model.Users;
using ScimBridge.Scim.Admin.Shared;
using ScimBridge.Scim.Admin.SignIn;

namespace ScimBridge.Scim.Admin.Users;

/// <summary><c>/admin/users?q=TEXT&amp;state=&amp;managedBy=&amp;team=&amp;sort=&amp;desc=&amp;page=</c>: search, filter, sort, page.</summary>
public sealed class IndexModel(UserSearch search, ScimBridgeDbContext db, AdminSession session) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Text { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? State { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ManagedBy { get; set; }

    [BindProperty(SupportsGet = true)]
    public Guid? Team { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Sort { get; set; }

    [BindProperty(SupportsGet = true, Name = "desc")]
    public bool Descending { get; set; }

    [BindProperty(SupportsGet = true, Name = "page")]
    public int? PageNumber { get; set; }

    [BindProperty(SupportsGet = true)]
    public int? Size { get; set; }

    public Paged<UserRow> Result { get; private set; } = new([], 0, 1, Paging.DefaultPageSize);

    public IReadOnlyList<string> Managers { get; private set; } = [];

    public IReadOnlyList<(Guid Id, string Name)> Teams { get; private set; } = [];

    public string? StateError { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        UserStatus? state = null;
        if (!string.IsNullOrEmpty(State))
        {
            if (Enum.TryParse<UserStatus>(State, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed))
            {
                state = parsed;
            }
            else
            {
                StateError = $"'{State}' is not a state; choose prepared, invited, active or deactivated.";
            }
        }

        var sort = UserQuery.Sorts.FirstOrDefault(s => s.Equals(Sort, StringComparison.OrdinalIgnoreCase)) ?? "userName";
        var query = new UserQuery(Text?.Trim(), state, ManagedBy, Team, sort, Descending, Paging.Number(PageNumber), Paging.Size(Size));
        Result = await search.SearchAsync(session.OrganizationId, query, ct);
        Managers = await search.ManagersAsync(session.OrganizationId, ct);
        Teams = (await db.Teams.AsNoTracking().Where(t => t.OrganizationId == session.OrganizationId && t.DeletedAt == null)
            .OrderBy(t => t.NormalizedName).Select(t => new { t.Id, t.Name }).ToListAsync(ct))
            .Select(t => (t.Id, t.Name)).ToList();
    }

    /// <summary>The link that sorts by <paramref name="column"/>, reversing the order when it is already the sort.</summary>
    public string SortLink(string column)
    {
        var current = UserQuery.Sorts.FirstOrDefault(s => s.Equals(Sort, StringComparison.OrdinalIgnoreCase)) ?? "userName";
        var descending = current == column && !Descending;
        var query = Request.Query.Where(q => q.Key is not ("sort" or "desc" or "page"))
            .Select(q => new KeyValuePair<string, string?>(q.Key, q.Value.ToString()))
            .Append(new("sort", column));
        if (descending)
        {
            query = query.Append(new("desc", "true"));
        }

        return Request.Path + QueryString.Create(query).ToUriComponent();
    }

    public string? AriaSort(string column)
    {
        var current = UserQuery.Sorts.FirstOrDefault(s => s.Equals(Sort, StringComparison.OrdinalIgnoreCase)) ?? "userName";
        return current == column ? (Descending ? "descending" : "ascending") : null;
    }

    public static string ManagerLabel(string managedBy) => managedBy switch
    {
        ManagedBySources.Manual => "by hand",
        ManagedBySources.Scim => "SCIM",
        _ => managedBy,
    };
}

using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ScimBridge.Scim.Admin.Shared;
using ScimBridge.Scim.Admin.SignIn;

namespace ScimBridge.Scim.Admin.Teams;

/// <summary><c>/admin/teams?q=TEXT&amp;deleted=true&amp;page=</c>: active teams, or the deleted ones, searched by name.</summary>
public sealed class IndexModel(TeamSearch search, AdminSession session) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Text { get; set; }

    [BindProperty(SupportsGet = true)]
    public bool Deleted { get; set; }

    [BindProperty(SupportsGet = true, Name = "page")]
    public int? PageNumber { get; set; }

    [BindProperty(SupportsGet = true)]
    public int? Size { get; set; }

    public Paged<TeamRow> Result { get; private set; } = new([], 0, 1, Paging.DefaultPageSize);

    public AdminSession Session => session;

    public async Task OnGetAsync(CancellationToken ct) =>
        Result = await search.SearchAsync(session.OrganizationId, Text?.Trim(), Deleted, Paging.Number(PageNumber), Paging.Size(Size), ct);
}

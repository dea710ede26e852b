using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ScimBridge.Model.Audit;
using ScimBridge.Scim.Admin.Shared;
using ScimBridge.Scim.Admin.SignIn;

namespace ScimBridge.Scim.Admin.Audit;

/// <summary><c>/admin/audit?actor=&amp;action=&amp;target=&amp;from=&amp;to=&amp;before=</c>: the trail, newest first, and whether the chain verifies.</summary>
public sealed class IndexModel(AuditSearch search, AuditVerifier verifier, AdminSession session) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Actor { get; set; }

    [BindProperty(SupportsGet = true, Name = "action")]
    public string? ActionName { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Target { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? To { get; set; }

    [BindProperty(SupportsGet = true)]
    public long? Before { get; set; }

    /// <summary>Walks the whole chain when asked: it reads every entry of the organization.</summary>
    [BindProperty(SupportsGet = true)]
    public bool Verify { get; set; }

    public AuditPage Result { get; private set; } = new([], null);

    public AuditVerification? Verification { get; private set; }

    public Dictionary<string, string> Errors { get; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var from = ParseTime(From, nameof(From));
        var to = ParseTime(To, nameof(To));
        Result = await search.SearchAsync(session.OrganizationId, new AuditQuery(Actor, ActionName, Target, from, to, Before, Paging.DefaultPageSize), ct);
        if (Verify)
        {
            Verification = await verifier.VerifyAsync(session.OrganizationId, ct);
        }
    }

    public string OlderLink(long olderThan)
    {
        var query = Request.Query.Where(q => q.Key is not ("before" or "verify"))
            .Select(q => new KeyValuePair<string, string?>(q.Key, q.Value.ToString()))
            .Append(new("before", olderThan.ToString(CultureInfo.InvariantCulture)));
        return Request.Path + QueryString.Create(query).ToUriComponent();
    }

    private DateTimeOffset? ParseTime(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            return parsed;
        }

        Errors[field] = $"'{value}' is not a date and time; write it like 2026-12-01 or 2026-12-01T14:30.";
        return null;
    }
}

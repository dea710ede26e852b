using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using ScimBridge.Model.Organizations;
using ScimBridge.Model.Persistence;
using ScimBridge.Model.Provisioning;
using ScimBridge.Scim.Admin.SignIn;
using ScimBridge.Scim.Organizations;

namespace ScimBridge.Scim.Admin.Access;

/// <summary>
/// <c>/admin/access</c>: how the organization's identity provider reaches SCIM: the tenant URL, bearer tokens (created
/// and shown once, listed by prefix with their last use, revoked) and the OAuth issuer it may use instead. The same
/// <see cref="ScimAccess"/> operations as the <c>tokens</c> and <c>orgs oauth</c> commands, with the person as actor.
/// </summary>
public sealed class IndexModel(ScimAccess access, ScimBridgeDbContext db, AdminSession session, IConfiguration configuration) : PageModel
{
    public IReadOnlyList<ScimToken> Tokens { get; private set; } = [];

    public Organization Organization { get; private set; } = null!;

    public AdminSession Session => session;

    /// <summary>The secret of the token just created: shown in this one response, never again.</summary>
    public string? NewSecret { get; private set; }

    public string? NewTokenName { get; private set; }

    /// <summary>The SCIM base URL for Entra ID's "Tenant URL" and Okta's "SCIM connector base URL".</summary>
    public string TenantUrl { get; private set; } = "";

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostCreateAsync(string? name, CancellationToken ct)
    {
        var organization = await db.Organizations.FirstAsync(o => o.Id == session.OrganizationId, ct);
        try
        {
            var (token, secret) = await access.CreateTokenAsync(organization, name, session.Actor, ct);
            NewSecret = secret;
            NewTokenName = token.Name;
        }
        catch (DirectoryException e)
        {
            return await RefusedAsync("name", e.Message, ct);
        }

        // The secret is in this response only: not cached, and not behind a redirect that would have to carry it.
        Response.Headers.CacheControl = "no-store";
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(Guid tokenId, CancellationToken ct)
    {
        var token = await db.ScimTokens.FirstOrDefaultAsync(t => t.Id == tokenId && t.OrganizationId == session.OrganizationId, ct);
        if (token is null)
        {
            return NotFound();
        }

        TempData["Notice"] = await access.RevokeAsync(token, session.Actor, ct)
            ? $"Token {token.Prefix}… ('{token.Name}') is revoked: requests with it are refused from now on."
            : "That token was revoked already.";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostOAuthAsync(string? issuer, string? audience, bool clear, CancellationToken ct)
    {
        var organization = await db.Organizations.FirstAsync(o => o.Id == session.OrganizationId, ct);
        try
        {
            await access.SetOAuthIssuerAsync(organization, clear ? null : issuer, audience, session.Actor, ct);
        }
        catch (DirectoryException e)
        {
            db.DiscardUnsaved();
            return await RefusedAsync("issuer", e.Message, ct);
        }

        TempData["Notice"] = organization.ScimJwtIssuer is null
            ? "SCIM accepts this organization's tokens only."
            : $"SCIM also accepts access tokens from {organization.ScimJwtIssuer}.";
        return RedirectToPage();
    }

    private async Task<IActionResult> RefusedAsync(string field, string message, CancellationToken ct)
    {
        ModelState.AddModelError(field, message);
        Response.StatusCode = StatusCodes.Status400BadRequest;
        await LoadAsync(ct);
        return Page();
    }

    public string? ErrorFor(string field) =>
        ModelState.TryGetValue(field, out var entry) && entry.Errors.Count > 0 ? string.Join(" ", entry.Errors.Select(e => e.ErrorMessage)) : null;

    private async Task LoadAsync(CancellationToken ct)
    {
        Organization = await db.Organizations.AsNoTracking().FirstAsync(o => o.Id == session.OrganizationId, ct);
        Tokens = await access.TokensAsync(session.OrganizationId, ct);
        // The configured public address when there is one; otherwise the address this page was reached at.
        var (configured, isConfigured) = global::ScimBridge.Scim.Organizations.TenantUrl.From(configuration);
        TenantUrl = isConfigured ? configured : $"{Request.Scheme}://{Request.Host}{Request.PathBase}{ScimEndpoints.BasePath}";
    }
}

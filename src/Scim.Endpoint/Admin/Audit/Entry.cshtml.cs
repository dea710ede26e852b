using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using ScimBridge.Model.Audit;
using ScimBridge.Model.Persistence;
using ScimBridge.Scim.Admin.SignIn;

namespace ScimBridge.Scim.Admin.Audit;

/// <summary><c>/admin/audit/{id}</c>: one entry with its before and after. Another organization's entry is not found.</summary>
public sealed class EntryModel(ScimBridgeDbContext db, AdminSession session) : PageModel
{
    public AuditEntry Entry { get; private set; } = new();

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct)
    {
        var entry = await db.AuditEntries.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id && a.OrganizationId == session.OrganizationId, ct);
        if (entry is null)
        {
            return NotFound();
        }

        Entry = entry;
        return Page();
    }

    /// <summary>A stored JSON snapshot, indented for reading.</summary>
    public static string Pretty(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return "—";
        }

        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(json);
            return System.Text.Json.JsonSerializer.Serialize(document.RootElement, Indented);
        }
        catch (System.Text.Json.JsonException)
        {
            return json;
        }
    }

    private static readonly System.Text.Json.JsonSerializerOptions Indented = new() { WriteIndented = true };
}

using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using ScimBridge.Model.Organizations;
using ScimBridge.Model.Persistence;
using ScimBridge.Model.Provisioning;
using ScimBridge.Scim.Admin.SignIn;

namespace ScimBridge.Scim.Admin.Numbers;

/// <summary>
/// <c>/admin/numbers</c>: the organization's phone numbers, which teams use each as a base number and how many users
/// have it as outbound caller ID; add numbers and remove unused ones through <see cref="NumberProvisioning"/>, with the
/// signed-in person as actor.
/// </summary>
public sealed class IndexModel(NumberProvisioning numbers, ScimBridgeDbContext db, AdminSession session) : PageModel
{
    public sealed record NumberRow(OrganizationNumber Number, IReadOnlyList<string> Teams, int Callers);

    public IReadOnlyList<NumberRow> Rows { get; private set; } = [];

    public AdminSession Session => session;

    /// <summary>What was typed, shown again when it was refused.</summary>
    public string? Typed { get; private set; }

    public string? TypedLabel { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAddAsync(string? numbersToAdd, string? label, CancellationToken ct)
    {
        try
        {
            var typed = (numbersToAdd ?? "").Split(['\n', ','], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            var added = await numbers.AddAsync(typed, label, session.Provisioning(), ct);
            await db.SaveChangesAsync(ct);
            TempData["Notice"] = added.Count == 0
                ? "The organization has these numbers already."
                : $"Added {string.Join(", ", added)}.";
            return RedirectToPage();
        }
        catch (InvalidValueException e)
        {
            db.DiscardUnsaved();
            foreach (var problem in e.Problems)
            {
                ModelState.AddModelError(problem.Field, problem.Message);
            }

            (Typed, TypedLabel) = (numbersToAdd, label);
            return await RefusedAsync(ct);
        }
    }

    public async Task<IActionResult> OnPostRemoveAsync(string? number, CancellationToken ct)
    {
        try
        {
            var removed = await numbers.RemoveAsync(number ?? "", session.Provisioning(), ct);
            await db.SaveChangesAsync(ct);
            TempData["Notice"] = removed ? $"{PhoneNumbers.Normalize(number!)} removed; add it again to undo." : "The organization does not have that number.";
            return RedirectToPage();
        }
        catch (InvalidValueException e)
        {
            db.DiscardUnsaved();
            ModelState.AddModelError("Remove", e.Message);
            return await RefusedAsync(ct);
        }
    }

    public string? ErrorFor(string field) =>
        ModelState.TryGetValue(field, out var entry) && entry.Errors.Count > 0 ? string.Join(" ", entry.Errors.Select(e => e.ErrorMessage)) : null;

    private async Task<IActionResult> RefusedAsync(CancellationToken ct)
    {
        Response.StatusCode = StatusCodes.Status400BadRequest;
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var owned = await numbers.ListAsync(session.OrganizationId, ct);
        var teams = await db.Teams.AsNoTracking().Where(t => t.OrganizationId == session.OrganizationId && t.DeletedAt == null)
            .Where(t => t.BaseNumbers.Count > 0).Select(t => new { t.Name, t.BaseNumbers }).ToListAsync(ct);
        var numbersOwned = owned.Select(n => n.Number).ToList();
        var callers = await db.Users.AsNoTracking().LiveIn(session.OrganizationId)
            .Where(u => u.OutboundCallerId != null && numbersOwned.Contains(u.OutboundCallerId))
            .GroupBy(u => u.OutboundCallerId!).Select(g => new { Number = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Number, g => g.Count, ct);
        Rows = [.. owned.Select(n => new NumberRow(n,
            [.. teams.Where(t => t.BaseNumbers.Contains(n.Number)).Select(t => t.Name).Order(StringComparer.OrdinalIgnoreCase)],
            callers.GetValueOrDefault(n.Number)))];
    }
}

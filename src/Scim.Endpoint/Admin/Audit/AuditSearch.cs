using Microsoft.EntityFrameworkCore;
using ScimBridge.Model.Audit;
using ScimBridge.Model.Persistence;

namespace ScimBridge.Scim.Admin.Audit;

/// <summary>What the audit log page asks for. Times are UTC; <see cref="Before"/> pages back by entry id (newest first).</summary>
public sealed record AuditQuery(string? Actor, string? Action, string? Target, DateTimeOffset? From, DateTimeOffset? To, long? Before, int PageSize);

/// <summary>A page of the audit log, newest first, and the id to continue from when there are older entries.</summary>
public sealed record AuditPage(IReadOnlyList<AuditEntry> Entries, long? OlderThan);

/// <summary>
/// Reads an organization's audit trail newest first, paged by entry id so that page 1,000 costs what page 1 does.
/// Actor and action match by prefix (<c>admin:</c>, <c>user.</c>), the target by exact id.
/// </summary>
public sealed class AuditSearch(ScimBridgeDbContext db)
{
    public async Task<AuditPage> SearchAsync(Guid organizationId, AuditQuery query, CancellationToken ct)
    {
        var entries = db.AuditEntries.AsNoTracking().Where(a => a.OrganizationId == organizationId);
        if (!string.IsNullOrWhiteSpace(query.Actor))
        {
            var actor = query.Actor.Trim();
            entries = entries.Where(a => a.Actor.StartsWith(actor));
        }

        if (!string.IsNullOrWhiteSpace(query.Action))
        {
            var action = query.Action.Trim();
            entries = entries.Where(a => a.Action.StartsWith(action));
        }

        if (!string.IsNullOrWhiteSpace(query.Target))
        {
            var target = query.Target.Trim();
            entries = entries.Where(a => a.TargetId == target);
        }

        if (query.From is { } from)
        {
            entries = entries.Where(a => a.At >= from);
        }

        if (query.To is { } to)
        {
            entries = entries.Where(a => a.At < to);
        }

        if (query.Before is { } before)
        {
            entries = entries.Where(a => a.Id < before);
        }

        var page = await entries.OrderByDescending(a => a.Id).Take(query.PageSize + 1).ToListAsync(ct);
        var more = page.Count > query.PageSize;
        if (more)
        {
            page.RemoveAt(page.Count - 1);
        }

        return new AuditPage(page, more ? page[^1].Id : null);
    }

    /// <summary>The entries about one target (a user's history), newest first.</summary>
    public Task<List<AuditEntry>> ForTargetAsync(Guid organizationId, string targetType, string targetId, int limit, CancellationToken ct) =>
        db.AuditEntries.AsNoTracking()
            .Where(a => a.OrganizationId == organizationId && a.TargetType == targetType && a.TargetId == targetId)
            .OrderByDescending(a => a.Id)
            .Take(limit)
            .ToListAsync(ct);
}

using Microsoft.EntityFrameworkCore;
using ScimBridge.Model.Persistence;

namespace ScimBridge.Model.Audit;

/// <summary>
/// The one place that links audit entries onto an organization's hash chain: it locks and reads the chain's head inside
/// the write transaction, links entries after it, and appends them, whether they were staged in EF Core's change tracker
/// (<see cref="ScimBridgeDbContext.SaveChangesAsync(bool, CancellationToken)"/>), written in bulk by a set-based
/// writer (<see cref="AppendAsync"/>), or inserted by SQLite's group commit (<see cref="Link"/> with <see cref="HeadSql"/>).
/// </summary>
internal static class AuditChain
{
    // Read inside every audited save; precompiled so the write lock is held for as little work as possible.
    private static readonly CompiledPerModel<Func<ScimBridgeDbContext, Guid, CancellationToken, Task<string?>>> LastHash =
        new(() => EF.CompileAsyncQuery((ScimBridgeDbContext db, Guid organizationId, CancellationToken ct) => db.AuditEntries
            .Where(a => a.OrganizationId == organizationId)
            .OrderByDescending(a => a.Id)
            .Select(a => a.Hash)
            .FirstOrDefault()));

    /// <summary>Links <paramref name="entry"/> after <paramref name="previous"/>; returns the new head.</summary>
    public static string Link(AuditEntry entry, string previous)
    {
        entry.PreviousHash = previous;
        entry.Hash = entry.ComputeHash(previous);
        return entry.Hash;
    }

    /// <summary>SQL reading an organization's head (parameter <c>?1</c>), for writers on a native SQLite connection.</summary>
    public static string HeadSql(ScimBridgeDbContext db)
    {
        var (audit, a) = BulkCommand.Names<AuditEntry>(db);
        return $"SELECT {a(nameof(AuditEntry.Hash))} FROM {audit} WHERE {a(nameof(AuditEntry.OrganizationId))} = ?1 " +
               $"ORDER BY {a(nameof(AuditEntry.Id))} DESC LIMIT 1";
    }

    /// <summary>
    /// Inside the current transaction: keeps other writers off the organization's chain until commit (SQLite's
    /// BEGIN IMMEDIATE already holds the write lock; PostgreSQL takes an advisory lock) and returns its head.
    /// </summary>
    public static async Task<string> LockHeadAsync(ScimBridgeDbContext db, Guid organizationId, CancellationToken ct)
    {
        if (!db.IsSqlite)
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtext({organizationId.ToString()}))", ct);
        }

        return await LastHash.For(db)(db, organizationId, ct) ?? "";
    }

    /// <summary>Writes many entries at once inside the current transaction, linked after the organization's head, without tracking.</summary>
    public static async Task AppendAsync(ScimBridgeDbContext db, Guid organizationId, IReadOnlyList<AuditEntry> entries, CancellationToken ct)
    {
        if (entries.Count == 0)
        {
            return;
        }

        var previous = await LockHeadAsync(db, organizationId, ct);
        await using var insert = BulkInsert.For<AuditEntry>(db, [nameof(AuditEntry.OrganizationId), nameof(AuditEntry.At), nameof(AuditEntry.Actor),
            nameof(AuditEntry.Action), nameof(AuditEntry.TargetType), nameof(AuditEntry.TargetId), nameof(AuditEntry.Before), nameof(AuditEntry.After),
            nameof(AuditEntry.Cause), nameof(AuditEntry.PreviousHash), nameof(AuditEntry.Hash)]);
        foreach (var entry in entries)
        {
            entry.OrganizationId = organizationId;
            previous = Link(entry, previous);
            await insert.AddAsync(ct, entry.OrganizationId, entry.At, entry.Actor, entry.Action, entry.TargetType, entry.TargetId,
                entry.Before, entry.After, entry.Cause, entry.PreviousHash, entry.Hash);
        }

        // Ids grow in insert order, which is the chain order the verifier walks.
        await insert.FlushAsync(ct);
    }

    /// <summary>Links staged entries in tracker order, before EF Core saves them; returns each organization's head before them.</summary>
    public static async Task<Dictionary<Guid, string>> LinkStagedAsync(ScimBridgeDbContext db, List<AuditEntry> staged, CancellationToken ct)
    {
        var heads = new Dictionary<Guid, string>();
        foreach (var organization in staged.GroupBy(e => e.OrganizationId))
        {
            var previous = heads[organization.Key] = await LockHeadAsync(db, organization.Key, ct);
            foreach (var entry in organization)
            {
                previous = Link(entry, previous);
            }
        }

        return heads;
    }

    /// <summary>
    /// EF Core may insert several new entries in another order than they were tracked; the verifier walks ids, so
    /// entries whose hash does not follow their predecessor by id are re-linked in the same transaction.
    /// </summary>
    public static async Task RelinkInIdOrderAsync(ScimBridgeDbContext db, List<AuditEntry> saved, Dictionary<Guid, string> heads, CancellationToken ct)
    {
        foreach (var organization in saved.GroupBy(e => e.OrganizationId).Where(g => g.Count() > 1))
        {
            var previous = heads[organization.Key];
            foreach (var entry in organization.OrderBy(e => e.Id))
            {
                var hash = entry.ComputeHash(previous);
                if (entry.PreviousHash != previous || entry.Hash != hash)
                {
                    var previousHash = previous;
                    await db.AuditEntries.Where(a => a.Id == entry.Id)
                        .ExecuteUpdateAsync(s => s.SetProperty(a => a.PreviousHash, previousHash).SetProperty(a => a.Hash, hash), ct);
                    entry.PreviousHash = previous;
                    entry.Hash = hash;
                }

                previous = hash;
            }
        }
    }
}

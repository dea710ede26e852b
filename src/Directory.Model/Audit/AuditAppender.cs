using ScimBridge.Model.Persistence;

namespace ScimBridge.Model.Audit;

/// <summary>
/// Writes many audit entries at once inside the current transaction, chained after the organization's last entry
/// exactly as <see cref="ScimBridgeDbContext.SaveChangesAsync(bool, CancellationToken)"/> chains tracked ones.
/// </summary>
internal static class AuditAppender
{
    public static async Task AppendAsync(ScimBridgeDbContext db, Guid organizationId, IReadOnlyList<AuditEntry> entries, CancellationToken ct)
    {
        if (entries.Count == 0)
        {
            return;
        }

        var previous = await db.LockAuditChainAsync(organizationId, ct);
        await using var insert = BulkInsert.For<AuditEntry>(db, [nameof(AuditEntry.OrganizationId), nameof(AuditEntry.At), nameof(AuditEntry.Actor),
            nameof(AuditEntry.Action), nameof(AuditEntry.TargetType), nameof(AuditEntry.TargetId), nameof(AuditEntry.Before), nameof(AuditEntry.After),
            nameof(AuditEntry.Cause), nameof(AuditEntry.PreviousHash), nameof(AuditEntry.Hash)]);
        foreach (var entry in entries)
        {
            entry.OrganizationId = organizationId;
            entry.PreviousHash = previous;
            entry.Hash = entry.ComputeHash(previous);
            previous = entry.Hash;
            await insert.AddAsync(ct, entry.OrganizationId, entry.At, entry.Actor, entry.Action, entry.TargetType, entry.TargetId,
                entry.Before, entry.After, entry.Cause, entry.PreviousHash, entry.Hash);
        }

        // Ids grow in insert order, which is the chain order the verifier walks.
        await insert.FlushAsync(ct);
    }
}

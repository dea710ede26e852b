using Microsoft.EntityFrameworkCore;
using ScimBridge.Model.Persistence;

namespace ScimBridge.Model.Audit;

/// <summary>Walks an organization's audit chain and reports the first entry whose hash does not follow from its predecessor.</summary>
public sealed class AuditVerifier(ScimBridgeDbContext db)
{
    public async Task<AuditVerification> VerifyAsync(Guid organizationId, CancellationToken ct)
    {
        var previous = "";
        var count = 0;
        await foreach (var entry in db.AuditEntries.AsNoTracking()
                           .Where(a => a.OrganizationId == organizationId)
                           .OrderBy(a => a.Id)
                           .AsAsyncEnumerable()
                           .WithCancellation(ct))
        {
            if (entry.PreviousHash != previous || entry.ComputeHash(previous) != entry.Hash)
            {
                return new AuditVerification(false, count, entry.Id);
            }

            previous = entry.Hash;
            count++;
        }

        return new AuditVerification(true, count, null);
    }
}

/// <summary>Result of verifying an audit chain: intact or not, entries checked, and the first broken entry.</summary>
public sealed record AuditVerification(bool Intact, int EntriesChecked, long? FirstBrokenEntryId);

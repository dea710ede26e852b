using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using ScimBridge.Model.Persistence;
using ScimBridge.Model.Users;

namespace ScimBridge.Scim.Resources;

/// <summary>
/// Makes deep <c>startIndex</c> pages of an organization's whole user list (no filter, default order) as fast as the
/// first: an offset makes the database step over every index entry before the page (about 20 ms at 100,000 users),
/// so this keeps, per organization, where every <see cref="Spacing"/>th user stands in the order (creation time, id)
/// and the number of users then, and reads a page by seeking from the nearest such anchor instead.
/// <para>
/// The anchors stay right as long as no user before them leaves or comes back: new users are created now, so they
/// join at the end of the order, and are counted by a seek past the last known user. A user leaves the list only by
/// being deleted and comes back only by being restored, so each request first reads the number of the organization's
/// deleted users and the latest deletion time (from the index, without reading rows); when either differs from what
/// the anchors were built with, they are built again from one ordered read of the index.
/// </para>
/// The stamp is read from the database on every request, so deletions made by another process (an admin command, a
/// second instance) are seen as well.
/// </summary>
public sealed class PageAnchors
{
    /// <summary>Users between two anchors: a page reads at most this many index entries before its own.</summary>
    public const int Spacing = 1_000;

    /// <summary>Organizations kept; the least recently built are dropped beyond this.</summary>
    private const int MaxOrganizations = 64;

    private readonly ConcurrentDictionary<Guid, Anchors> _byOrganization = new();

    /// <summary>The position of every <see cref="Spacing"/>th user (the last of each block), the total then, and the stamp it was built under.</summary>
    private sealed record Anchors(Stamp Stamp, ListPaging.PageKey[] Keys, ListPaging.PageKey? Last, long Total, long BuiltAt);

    private readonly record struct Stamp(long Deleted, long LatestDeletionTicks);

    /// <summary>
    /// The ids of one page of the organization's whole user list in the default order, and the list's total; null when
    /// a plain offset serves the page as well: a page in the first block while no current anchors exist, or a page
    /// beyond the end of a list shorter than <see cref="Spacing"/>.
    /// </summary>
    public async Task<(List<Guid> Ids, long Total)?> PageAsync(ScimBridgeDbContext db, Guid organizationId, int offset, int count, CancellationToken ct)
    {
        var stamp = await StampAsync(db, organizationId, ct);
        // A page in the first block is as cheap by offset: it uses anchors that are current, but never builds them (a
        // build reads the organization's whole index, more than such a page and its count do without anchors).
        var anchors = offset < Spacing ? Known(organizationId, stamp) : await CurrentAsync(db, organizationId, stamp, ct);
        if (anchors is null)
        {
            return null;
        }

        var users = db.Users.AsNoTracking().LiveIn(organizationId);
        var block = Math.Min(offset / Spacing, anchors.Keys.Length);
        if (block == 0 && offset >= Spacing)
        {
            return null;
        }

        var from = block == 0 ? users : users.Where(ListPaging.After<User>(u => u.CreatedAt, u => u.Id, anchors.Keys[block - 1]));
        var ids = await from.OrderBy(u => u.CreatedAt).ThenBy(u => u.Id).Select(u => u.Id)
            .Skip(offset - (block * Spacing)).Take(count).ToListAsync(ct);
        return (ids, anchors.Total + await JoinedSinceAsync(db, organizationId, anchors, ct));
    }

    /// <summary>How many users the organization's whole list holds, without counting them one by one.</summary>
    public async Task<long> TotalAsync(ScimBridgeDbContext db, Guid organizationId, CancellationToken ct)
    {
        var anchors = await CurrentAsync(db, organizationId, await StampAsync(db, organizationId, ct), ct);
        return anchors.Total + await JoinedSinceAsync(db, organizationId, anchors, ct);
    }

    /// <summary>Users created after the anchors were built: a seek past the last user then.</summary>
    private static async Task<long> JoinedSinceAsync(ScimBridgeDbContext db, Guid organizationId, Anchors anchors, CancellationToken ct)
    {
        var users = db.Users.AsNoTracking().LiveIn(organizationId);
        return anchors.Last is null
            ? await users.LongCountAsync(ct)
            : await users.Where(ListPaging.After<User>(u => u.CreatedAt, u => u.Id, anchors.Last)).LongCountAsync(ct);
    }

    /// <summary>The organization's anchors if they were built under <paramref name="stamp"/>, else null.</summary>
    private Anchors? Known(Guid organizationId, Stamp stamp) =>
        _byOrganization.TryGetValue(organizationId, out var known) && known.Stamp == stamp ? known : null;

    private async Task<Anchors> CurrentAsync(ScimBridgeDbContext db, Guid organizationId, Stamp stamp, CancellationToken ct)
    {
        if (Known(organizationId, stamp) is { } known)
        {
            return known;
        }

        var built = await BuildAsync(db, organizationId, stamp, ct);
        if (_byOrganization.Count >= MaxOrganizations)
        {
            foreach (var oldest in _byOrganization.OrderBy(e => e.Value.BuiltAt).Take(MaxOrganizations / 4))
            {
                _byOrganization.TryRemove(oldest.Key, out _);
            }
        }

        _byOrganization[organizationId] = built;
        return built;
    }

    /// <summary>
    /// How many of the organization's users are deleted, and the latest deletion: a restore lowers the count, a
    /// deletion moves the latest time on, so every change of who is listed changes the stamp.
    /// </summary>
    private static async Task<Stamp> StampAsync(ScimBridgeDbContext db, Guid organizationId, CancellationToken ct)
    {
        var deleted = db.Users.AsNoTracking().Where(u => u.OrganizationId == organizationId && u.DeletedAt != null);
        var count = await deleted.LongCountAsync(ct);
        var latest = count == 0 ? null : await deleted.MaxAsync(u => u.DeletedAt, ct);
        return new Stamp(count, latest?.UtcTicks ?? 0);
    }

    private static async Task<Anchors> BuildAsync(ScimBridgeDbContext db, Guid organizationId, Stamp stamp, CancellationToken ct)
    {
        var keys = new List<ListPaging.PageKey>();
        ListPaging.PageKey? last = null;
        long total = 0;
        await foreach (var key in db.Users.AsNoTracking().LiveIn(organizationId).OrderBy(u => u.CreatedAt).ThenBy(u => u.Id)
            .Select(u => new ListPaging.PageKey { Id = u.Id, CreatedAt = u.CreatedAt }).AsAsyncEnumerable().WithCancellation(ct))
        {
            total++;
            last = key;
            if (total % Spacing == 0)
            {
                keys.Add(key);
            }
        }

        return new Anchors(stamp, [.. keys], last, total, Environment.TickCount64);
    }
}

using Microsoft.EntityFrameworkCore;
using ScimBridge.Model.Audit;
using ScimBridge.Model.Persistence;
using ScimBridge.Model.Persistence.Sqlite;
using ScimBridge.Model.Users;

namespace ScimBridge.Model.Provisioning;

/// <summary>
/// Operations on many users at once (a sync run, a mapping file). Each call writes and commits (in the caller's
/// transaction when there is one); creates and activation changes through set-based statements, attribute updates
/// through EF Core's change tracker, with the same status, version, audit action and payload as the single-user operations.
/// </summary>
public sealed partial class UserProvisioning
{
    /// <summary>Creates the users with their ids; returns them as changed users (their memberships follow).</summary>
    public async Task<DirectoryChanges> CreateManyAsync(IReadOnlyList<NewUser> users, ProvisioningContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(context);
        if (users.Count == 0)
        {
            return DirectoryChanges.None;
        }

        // Set-based in every size: a sync run that creates a handful of users in a fresh process spent a tenth of a
        // second building EF Core's change-tracking snapshots of a user before the first Add.
        var built = users.Select(u => Build(u, context)).ToList();
        await WriteTransaction.RunAsync(db, async () =>
        {
            await SqliteWriteCache.EnlargeAsync(db, built.Count, ct);
            var rows = built.Select(b => b.User).ToList();
            await BulkInsert.RunAsync(db, rows, ct);
            await BulkInsert.RunAsync(db, rows.SelectMany(u => u.Emails), ct);
            await BulkInsert.RunAsync(db, rows.SelectMany(u => u.PhoneNumbers), ct);
            await AuditChain.AppendAsync(db, context.OrganizationId, [.. built.Select(b => b.Entry)], ct);
        }, ct);

        return DirectoryChanges.OfUsers(users.Select(u => u.Id));
    }

    /// <summary>
    /// Applies new attributes to existing users and saves; activation stays as it is. Users whose profile is unchanged
    /// only take the new fingerprint (no version, no audit entry). Profile changes leave derived memberships alone.
    /// </summary>
    public async Task<DirectoryChanges> UpdateManyAsync(IReadOnlyList<UserEdit> edits, ProvisioningContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(edits);
        ArgumentNullException.ThrowIfNull(context);
        if (edits.Count == 0)
        {
            return DirectoryChanges.None;
        }

        var ids = edits.Select(e => e.Id).ToList();
        return await WriteConflicts.RetryAsync(db, async () =>
        {
            var users = await db.Users.AsSplitQuery().Where(u => EF.Parameter(ids).Contains(u.Id)).ToDictionaryAsync(u => u.Id, ct);
            foreach (var edit in edits)
            {
                var user = users[edit.Id];
                user.SourceFingerprint = edit.Fingerprint ?? user.SourceFingerprint;
                Stage(user, edit.Profile with { Active = user.Active }, context);
            }

            await db.SaveChangesAsync(ct);
            return DirectoryChanges.None;
        }, () => { }, ct);
    }

    /// <summary>Deactivates the users that are active; returns those it changed.</summary>
    public Task<DirectoryChanges> DeactivateManyAsync(IReadOnlyList<UserActivation> users, ProvisioningContext context, CancellationToken ct) =>
        SetActivationAsync(users, context, deactivate: true, onlyDeactivatedBy: null, ct);

    /// <summary>
    /// Reactivates the users that are deactivated (only those <paramref name="onlyDeactivatedBy"/> deactivated, when
    /// given); returns those it changed.
    /// </summary>
    public Task<DirectoryChanges> ReactivateManyAsync(
        IReadOnlyList<UserActivation> users, ProvisioningContext context, CancellationToken ct, string? onlyDeactivatedBy = null) =>
        SetActivationAsync(users, context, deactivate: false, onlyDeactivatedBy, ct);

    /// <summary>
    /// Set-based in every size: activation is a few columns, and a mapping's recompute runs it inside its own
    /// statements' transaction, where stale tracked copies of the users must not be saved over newer rows.
    /// </summary>
    private async Task<DirectoryChanges> SetActivationAsync(
        IReadOnlyList<UserActivation> users, ProvisioningContext context, bool deactivate, string? onlyDeactivatedBy, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(context);
        if (users.Count == 0)
        {
            return DirectoryChanges.None;
        }

        var causes = new Dictionary<Guid, string?>(users.Count);
        foreach (var user in users)
        {
            causes.TryAdd(user.Id, user.Cause ?? context.Cause);
        }

        var changed = new List<Guid>();
        await WriteTransaction.RunAsync(db, async () =>
        {
            // No larger write cache here: in a sync run's change round (5,000 of 100,000 users, a fresh process) the pages
            // it allocated cost more than the re-reads it saved.
            var write = new ActivationWrite(context.OrganizationId, deactivate, onlyDeactivatedBy, context.DeactivatesAs, clock.GetUtcNow());
            var action = deactivate ? "user.deactivated" : "user.reactivated";
            var users = await UserActivationRows.ReadAsync(db, [.. causes.Keys], write, ct);

            // The entries' snapshots (whole profiles as JSON) are built on another core while the database updates the rows.
            var entries = Alongside.Start(users.Count, () =>
            {
                var built = new List<AuditEntry>(users.Count);
                foreach (var user in users)
                {
                    var (before, after) = AuditLog.ActivationSnapshots(user.ToProfile());
                    built.Add(audit.Create(context.OrganizationId, context.Actor, action, TargetType, user.Id.ToString(), before, after, causes[user.Id]));
                }

                // Chained in target order, so thousands of entries go into the audit log's target index in key order
                // rather than each to a page of its own.
                built.Sort((a, b) => string.CompareOrdinal(a.TargetId, b.TargetId));
                return built;
            });
            await UserActivationRows.UpdateAsync(db, users, write, ct);
            await AuditChain.AppendAsync(db, context.OrganizationId, await entries, ct);
            changed.AddRange(users.Select(u => u.Id));
        }, ct);

        await RefreshTrackedAsync(changed, ct);
        return DirectoryChanges.OfUsers(changed);
    }

    /// <summary>Users the caller holds were changed behind the change tracker; reload them so responses and later saves see the truth.</summary>
    private async Task RefreshTrackedAsync(List<Guid> changed, CancellationToken ct)
    {
        if (changed.Count == 0 || !db.ChangeTracker.Entries<User>().Any())
        {
            return;
        }

        var ids = changed.ToHashSet();
        foreach (var entry in db.ChangeTracker.Entries<User>().Where(e => ids.Contains(e.Entity.Id)).ToList())
        {
            await entry.ReloadAsync(ct);
        }
    }
}

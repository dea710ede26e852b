using System.Diagnostics;
using Microsoft.Extensions.Logging;
using ScimBridge.Model.Persistence;
using ScimBridge.Model.Provisioning;

namespace ScimBridge.Model.Reconcile;

/// <summary>
/// Writes a <see cref="ReconcilePlan"/> through the provisioning operations, in batches: each batch commits its changes
/// and their audit entries (actor: the run) together, so a run that stops half-way leaves a consistent directory that
/// the next run completes. Ends by recomputing the team memberships of everything the operations report as changed,
/// so mapping files apply to synced users too.
/// </summary>
public sealed class ReconcileApplier(
    ScimBridgeDbContext db, UserProvisioning users, GroupProvisioning groups, MembershipProvisioning memberships, ILogger<ReconcileApplier> logger)
{
    /// <summary>
    /// Users or groups per transaction; group member changes go <see cref="MembersPerBatch"/> times as many at a time
    /// (a row each). Large enough that a first sync of 100,000 users and a million members commits a few dozen times,
    /// not thousands (every commit rewrites the index pages it touched); small enough that SCIM writes wait seconds.
    /// </summary>
    public int BatchSize { get; set; } = DefaultBatchSize;

    public const int DefaultBatchSize = 5000;

    /// <summary>
    /// Member rows are small: a change round's 60,000 removals of 5,000 departed users commit once, not twice (the second
    /// commit wrote most of the member index pages again, each user's rows being spread over both).
    /// </summary>
    private const int MembersPerBatch = 20;

    public async Task ApplyAsync(ReconcilePlan plan, ProvisioningContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(context);

        // Only the source that deactivated a user may reactivate it.
        context = context with { DeactivatesAs = context.ManagedBy };
        var changes = new DirectoryChanges();

        await InBatchesAsync(plan.GroupCreates, batch => groups.CreateManyAsync(
            [.. batch.Select(g => new NewGroup(g.Id, g.DisplayName, g.SourceKey, g.DistinguishedName))], context, ct), changes);
        await InBatchesAsync(plan.GroupUpdates, batch => groups.UpdateManyAsync(
            [.. batch.Select(g => new GroupEdit(g.Id, g.DisplayName, g.DistinguishedName, g.Restore))], context, ct), changes);
        await InBatchesAsync(plan.GroupDeletions, batch => groups.DeleteManyAsync([.. batch.Select(g => g.Id)], context, ct), changes);

        await InBatchesAsync(plan.Creates, batch => users.CreateManyAsync(
            [.. batch.Select(c => new NewUser(c.Id, c.Profile with { Active = c.Enabled }, c.SourceKey, c.Fingerprint))], context, ct), changes);
        await InBatchesAsync(plan.Updates, batch => users.UpdateManyAsync(
            [.. batch.Select(u => new UserEdit(u.Id, u.After, u.Fingerprint))], context, ct), changes);
        await InBatchesAsync(plan.Deactivations, batch => users.DeactivateManyAsync(
            [.. batch.Select(d => new UserActivation(d.Id, Describe(d.Reason)))], context, ct), changes);
        await InBatchesAsync(plan.Reactivations, batch => users.ReactivateManyAsync(
            [.. batch.Select(r => new UserActivation(r.Id, "enabled in the source again"))], context, ct), changes);

        // Groups in key order, as GroupProvisioning writes each batch's: a first sync's rows then append to the member key.
        await InBatchesAsync(MemberEditsByGroup(plan), batch => groups.ApplyMemberChangesAsync(
            [.. batch.SelectMany(g => g.Adds)], [.. batch.SelectMany(g => g.Removes)], context, ct), changes,
            weight: g => Math.Max(1, (g.Adds.Count + g.Removes.Count) / MembersPerBatch), phase: "memberChanges");

        var recompute = Stopwatch.StartNew();
        await memberships.RecomputeAsync(context.OrganizationId, changes, context.Actor, ct, BatchSize);
        logger.LogDebug("Recomputed team memberships of {Users} users and {Groups} groups in {ElapsedMs} ms",
            changes.Users.Count, changes.Groups.Count, recompute.ElapsedMilliseconds);
        db.DiscardUnsaved();
    }

    /// <summary>
    /// The plan's member additions and removals per group, groups in key order; plain loops, because a change round
    /// removes tens of thousands of members and every LINQ shape over them is code a fresh process compiles first.
    /// </summary>
    private static List<GroupMemberEdits> MemberEditsByGroup(ReconcilePlan plan)
    {
        var byGroup = new Dictionary<Guid, GroupMemberEdits>();
        GroupMemberEdits For(Guid groupId)
        {
            if (!byGroup.TryGetValue(groupId, out var edits))
            {
                byGroup[groupId] = edits = new GroupMemberEdits(groupId);
            }

            return edits;
        }

        foreach (var add in plan.MemberAdds)
        {
            For(add.GroupId).Adds.Add(new MemberEdit(add.GroupId, add.MemberId, add.IsGroup));
        }

        foreach (var remove in plan.MemberRemoves)
        {
            For(remove.GroupId).Removes.Add(new MemberEdit(remove.GroupId, remove.MemberId, remove.IsGroup));
        }

        List<GroupMemberEdits> ordered = [.. byGroup.Values];
        ordered.Sort((a, b) => a.GroupId.CompareTo(b.GroupId));
        return ordered;
    }

    private sealed record GroupMemberEdits(Guid GroupId)
    {
        public List<MemberEdit> Adds { get; } = [];
        public List<MemberEdit> Removes { get; } = [];
    }

    /// <summary>Runs <paramref name="write"/> on slices of about <see cref="BatchSize"/> changes (each commits) and collects what changed.</summary>
    private async Task InBatchesAsync<T>(
        IReadOnlyList<T> items, Func<List<T>, Task<DirectoryChanges>> write, DirectoryChanges changes, Func<T, int>? weight = null,
        [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(items))] string phase = "")
    {
        if (items.Count == 0)
        {
            return;
        }

        var clock = Stopwatch.StartNew();
        var cpu = Environment.CpuUsage.TotalTime;
        var batch = new List<T>();
        var size = 0;
        foreach (var item in items)
        {
            batch.Add(item);
            size += weight?.Invoke(item) ?? 1;
            if (size >= BatchSize)
            {
                await WriteAsync(batch, write, changes);
                batch.Clear();
                size = 0;
            }
        }

        if (batch.Count > 0)
        {
            await WriteAsync(batch, write, changes);
        }
        logger.LogDebug("Applied {Count} of {Phase} in {ElapsedMs} ms (CPU {CpuMs} ms); managed heap {HeapMiB} MiB", items.Count, phase,
            clock.ElapsedMilliseconds, (long)(Environment.CpuUsage.TotalTime - cpu).TotalMilliseconds, GC.GetTotalMemory(false) >> 20);
    }

    private async Task WriteAsync<T>(List<T> batch, Func<List<T>, Task<DirectoryChanges>> write, DirectoryChanges changes)
    {
        changes.Add(await write(batch));
        db.DiscardUnsaved();
    }

    private static string Describe(DeactivationReason reason) => reason switch
    {
        DeactivationReason.AbsentFromFullRead => "absent from a complete read of the source",
        DeactivationReason.DisabledInSource => "disabled in the source",
        DeactivationReason.RemovedFromSource => "deleted in the source",
        DeactivationReason.LeftScope => "no longer among the source's users (deleted, or moved out of its base DN or filter)",
        _ => reason.ToString(),
    };
}

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ScimBridge.Model.Audit;
using ScimBridge.Model.Persistence;
using ScimBridge.Model.Provisioning;
using ScimBridge.Model.Reconcile;

namespace ScimBridge.Model.Mapping;

/// <summary>How an explicit apply of an organization's mapping file ended.</summary>
public enum MappingApplyStatus
{
    /// <summary>No valid file in the folder maps the organization.</summary>
    NoValidFile,

    /// <summary>The organization's file on disk is rejected; <see cref="MappingApplyResult.Errors"/> say why.</summary>
    FileHasErrors,

    /// <summary>The version on disk is the one applied already.</summary>
    AlreadyApplied,

    /// <summary>Over the guard's limits and not forced: nothing was written.</summary>
    Refused,

    Applied,
}

/// <summary>What <see cref="MappingApplication.ApplyAsync"/> did, for the command and the console to report.</summary>
public sealed record MappingApplyResult(MappingApplyStatus Status, MappingFile? File, IReadOnlyList<MappingError> Errors)
{
    public MembershipPlan? Plan { get; init; }

    /// <summary>The guard's judgement; refused for a released version too.</summary>
    public GuardVerdict Verdict { get; init; } = GuardVerdict.Allow;

    /// <summary>When the version was applied, for <see cref="MappingApplyStatus.AlreadyApplied"/>.</summary>
    public DateTimeOffset? AppliedAt { get; init; }

    /// <summary>Applied past the guard: a held (or holdable) version released by an admin.</summary>
    public bool Released => Status == MappingApplyStatus.Applied && !Verdict.Allowed;
}

/// <summary>
/// Applies an organization's mapping file from the folder now: what <c>mappings apply [--force]</c> and the console's
/// Release do, one code path. Without <c>force</c> only within the guard's limits; with it, a held version too, audited
/// as <c>mapping.released</c> with the caller as actor. The applied version goes in force in this process at once (the
/// watcher of a running service in another process finds it recorded as applied on its next poll). Runs one at a time
/// with the watcher's rounds, so a round cannot hold the version again while it is being released.
/// </summary>
public sealed class MappingApplication(
    ScimBridgeDbContext db, MappingStore store, MappingWatcher watcher, MembershipProvisioning memberships, AuditLog audit,
    IOptions<MappingOptions> options)
{
    /// <param name="releaseCause">Starts the cause of the <c>mapping.released</c> entry, e.g. "applied with --force past the guard".</param>
    public Task<MappingApplyResult> ApplyAsync(Guid organizationId, string slug, bool force, AuditActor actor, string releaseCause, CancellationToken ct) =>
        watcher.ExclusiveAsync(() => ApplyCoreAsync(organizationId, slug, force, actor, releaseCause, ct), ct);

    private async Task<MappingApplyResult> ApplyCoreAsync(
        Guid organizationId, string slug, bool force, AuditActor actor, string releaseCause, CancellationToken ct)
    {
        store.Reload();
        var file = store.CandidateFor(slug);
        // Without a valid version the organization a broken file meant is unknown: every file's errors count.
        var errors = file is null
            ? store.Statuses.SelectMany(s => s.Errors).ToList()
            : store.StatusFor(slug)?.Errors ?? [];
        if (file is null)
        {
            return new MappingApplyResult(MappingApplyStatus.NoValidFile, null, errors);
        }

        if (errors.Count > 0)
        {
            return new MappingApplyResult(MappingApplyStatus.FileHasErrors, file, errors);
        }

        var applied = await db.AppliedMappings.AsNoTracking().FirstOrDefaultAsync(a => a.OrganizationId == organizationId, ct);
        if (applied?.Version == file.Version)
        {
            return new MappingApplyResult(MappingApplyStatus.AlreadyApplied, file, []) { AppliedAt = applied.AppliedAt };
        }

        MappingImpact? seen = null;
        var verdict = GuardVerdict.Allow;
        var plan = await memberships.ApplyAsync(organizationId, file, actor, impact =>
        {
            seen = impact;
            verdict = MappingGuard.Check(file, impact, options.Value);
            if (verdict.Allowed || force)
            {
                // In force before the writes, as the watcher does, so SCIM recomputes meanwhile use the new version.
                store.Accept(file);
                return true;
            }

            return false;
        }, ct);
        if (plan is null)
        {
            return new MappingApplyResult(MappingApplyStatus.Refused, file, []) { Verdict = verdict };
        }

        if (!verdict.Allowed && seen is { } impact)
        {
            audit.Record(organizationId, actor, "mapping.released", "mapping", file.FileName,
                before: new { version = applied?.Version },
                after: new { version = file.Version, impact },
                cause: $"{releaseCause}: {verdict.Reason}");
            await db.SaveChangesAsync(ct);
        }

        return new MappingApplyResult(MappingApplyStatus.Applied, file, []) { Plan = plan, Verdict = verdict };
    }
}

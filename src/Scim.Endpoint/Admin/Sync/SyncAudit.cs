using ScimBridge.Model.Audit;
using ScimBridge.Model.Persistence;
using ScimBridge.Scim.Admin.SignIn;

namespace ScimBridge.Scim.Admin.Sync;

/// <summary>
/// Records who started a sync run from the console (<c>sync.started</c>) or forced an aborted one (<c>sync.forced</c>).
/// The changes a run makes are audited by the run itself, with the run as actor.
/// </summary>
public sealed class SyncAudit(ScimBridgeDbContext db, AuditLog audit, AdminSession session)
{
    public async Task StartedAsync(StartedRun started, long? forcedRunId, string? forcedReason, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(started);
        var kind = started.Kind switch
        {
            StartedKind.DryRun => "dry-run",
            StartedKind.ForcedRun => "forced-run",
            _ => "run",
        };
        if (forcedRunId is { } id)
        {
            audit.Record(session.OrganizationId, session.Actor, "sync.forced", "sync-run", id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                after: new { source = started.Source, started = started.Id },
                cause: $"run {id} was aborted: {forcedReason}; forced past the deactivation guard in the admin console");
        }
        else
        {
            audit.Record(session.OrganizationId, session.Actor, "sync.started", "sync-source", started.Source,
                after: new { kind, started = started.Id }, cause: $"{kind} started in the admin console");
        }

        await db.SaveChangesAsync(ct);
    }
}

namespace ScimBridge.Model.Reconcile;

/// <summary>One run of a sync source: when, what it did, and why it stopped if it did not finish.</summary>
public sealed class SyncRun
{
    public long Id { get; set; }

    /// <summary>The configured source's name.</summary>
    public string Source { get; set; } = "";

    /// <summary>Slug of the organization as configured (the run fails when it does not exist).</summary>
    public string Organization { get; set; } = "";

    public Guid? OrganizationId { get; set; }

    /// <summary>What started the run: <c>schedule</c> or <c>command</c>.</summary>
    public string Trigger { get; set; } = "";

    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>
    /// A running run renews this while its process lives; a run still <see cref="SyncRunStatus.Running"/> past it is
    /// taken to have died and is marked <see cref="SyncRunStatus.Abandoned"/> by the next run or <c>sync runs</c>.
    /// </summary>
    public DateTimeOffset? LeaseExpiresAt { get; set; }
    public SyncRunStatus Status { get; set; } = SyncRunStatus.Running;

    /// <summary>True when the source read everything; false for an incremental (delta) read.</summary>
    public bool Full { get; set; }

    /// <summary>The admin overrode the deactivation guard for this run.</summary>
    public bool Forced { get; set; }

    public int UsersRead { get; set; }
    public int Created { get; set; }
    public int Updated { get; set; }
    public int Deactivated { get; set; }
    public int Reactivated { get; set; }
    public int GroupsChanged { get; set; }
    public int MembershipsChanged { get; set; }

    /// <summary>Problems that skipped single users or groups (e.g. a userName taken by a SCIM user), one per line.</summary>
    public string? Errors { get; set; }

    public int ErrorCount { get; set; }

    /// <summary>Why the run stopped without applying anything (guard refusal, failed read).</summary>
    public string? AbortedReason { get; set; }
}

/// <summary>Outcome of a sync run.</summary>
public enum SyncRunStatus
{
    Running,
    Succeeded,
    Failed,
    Aborted,
    DryRun,

    /// <summary>Its process stopped without finishing it (its lease ran out); the counts say what it had applied.</summary>
    Abandoned,
}

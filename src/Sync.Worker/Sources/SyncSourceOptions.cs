namespace ScimBridge.Sync.Sources;

/// <summary>
/// What every entry of <c>ScimBridge:Sync:Sources</c> has in common, whatever its type. The type's own keys (Url,
/// TenantId, ...) sit in the same entry and are bound by its <see cref="IDirectorySourceFactory"/>.
/// </summary>
public sealed class SyncSourceOptions
{
    public const int DefaultDeactivationThresholdPercent = 10;
    public const int DefaultDeactivationThresholdCount = 500;

    /// <summary>Unique name of the source; the <c>ManagedBy</c> of the users and groups it creates.</summary>
    public string Name { get; set; } = "";

    /// <summary>Slug of the organization the source provisions into.</summary>
    public string Organization { get; set; } = "";

    /// <summary>Kind of directory: <c>EntraId</c> or <c>Ldap</c>.</summary>
    public string Type { get; set; } = "";

    /// <summary>Quartz cron expression (seconds first), e.g. <c>0 */15 * * * ?</c>; empty means run only on demand.</summary>
    public string? Schedule { get; set; }

    /// <summary>Quartz cron for the periodic full read; a run at or after its next fire time is full.</summary>
    public string? FullSyncSchedule { get; set; }

    /// <summary>Every Nth run is a full read (incremental reads miss deletes); 0 or unset with no schedule means 24.</summary>
    public int? FullSyncEveryRuns { get; set; }

    /// <summary>False keeps the source configured but never scheduled; <c>sync run</c> still runs it on demand.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>A run that would deactivate more than this share of the source's users is aborted unless forced.</summary>
    public double DeactivationThresholdPercent { get; set; } = DefaultDeactivationThresholdPercent;

    /// <summary>A run that would deactivate more than this many users is aborted unless forced.</summary>
    public int DeactivationThresholdCount { get; set; } = DefaultDeactivationThresholdCount;

    /// <summary>Longest a whole read may take; a read that takes longer fails the run and deactivates nobody.</summary>
    public int ReadTimeoutSeconds { get; set; } = 900;

    /// <summary>Full runs interval used when neither <see cref="FullSyncEveryRuns"/> nor <see cref="FullSyncSchedule"/> is set.</summary>
    public const int DefaultFullSyncEveryRuns = 24;
}

using Microsoft.Extensions.Options;
using ScimBridge.Sync.Sources;

namespace ScimBridge.Sync;

/// <summary><c>ScimBridge:Sync</c>: whether scheduled sync runs in this process. Sources are read by <see cref="SyncSourceCatalog"/>.</summary>
public sealed class SyncOptions
{
    public const string Section = "ScimBridge:Sync";

    /// <summary>False stops the scheduler in this process; <c>sync run</c> still works.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Quartz job store connection string; default: <c>scimbridge.quartz.db</c> beside a SQLite database, or the PostgreSQL database itself.</summary>
    public string? JobStoreConnectionString { get; set; }

    /// <summary>How late a fire may start before it counts as missed (then it runs once at once and the schedule continues).</summary>
    public int MisfireThresholdSeconds { get; set; } = 60;

    /// <summary>
    /// A running sync run renews its lease in the database every quarter of this; a run not renewed for this long died
    /// with its process and is marked Abandoned, and the next run of its source goes ahead.
    /// </summary>
    public int RunLeaseSeconds { get; set; } = 120;

    /// <summary>
    /// Users or groups a run writes per transaction (group members: ten times as many). Each transaction commits its
    /// changes with their audit entries, so a run stopped half-way leaves whole batches that the next run completes.
    /// </summary>
    public int ChangesPerTransaction { get; set; } = 5000;
}

/// <summary>Start-up check of every configured source (common keys, type, cron, type-specific keys).</summary>
internal sealed class SyncOptionsValidator(SyncSourceCatalog catalog) : IValidateOptions<SyncOptions>
{
    public ValidateOptionsResult Validate(string? name, SyncOptions options)
    {
        var problems = catalog.Validate().ToList();
        if (options.MisfireThresholdSeconds < 1)
        {
            problems.Add("ScimBridge:Sync:MisfireThresholdSeconds must be at least 1.");
        }
        if (options.ChangesPerTransaction < 1)
        {
            problems.Add("ScimBridge:Sync:ChangesPerTransaction must be at least 1.");
        }
        if (options.RunLeaseSeconds < 1)
        {
            problems.Add("ScimBridge:Sync:RunLeaseSeconds must be at least 1.");
        }
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}

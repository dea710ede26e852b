namespace ScimBridge.Model.Reconcile;

/// <summary>What a sync source carries from one run to the next: its delta cursor and when it last read in full.</summary>
public sealed class SyncSourceState
{
    /// <summary>The configured source's name (unique).</summary>
    public string Source { get; set; } = "";

    /// <summary>The cursor the last successful run handed back; null forces a full read.</summary>
    public string? DeltaState { get; set; }

    /// <summary>Successful incremental runs since the last successful full run.</summary>
    public int RunsSinceFull { get; set; }

    public DateTimeOffset? LastFullRunAt { get; set; }
    public DateTimeOffset? LastSucceededAt { get; set; }
}

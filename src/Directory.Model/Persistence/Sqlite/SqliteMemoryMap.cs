namespace ScimBridge.Model.Persistence.Sqlite;

/// <summary>
/// Whether the current flow (a unit of work declared <see cref="DatabaseWork.Reads"/>) reads through the memory map,
/// which <see cref="SqlitePragmas"/> sets up on the EF Core connections it opens. One per process, registered at setup.
/// </summary>
public sealed class SqliteMemoryMap
{
    private readonly AsyncLocal<bool> _reads = new();

    internal bool Wanted => _reads.Value;

    /// <summary>
    /// From here to the end of the calling async method, connections opened read through the memory map. Call it only
    /// where little or nothing is written meanwhile: every commit elsewhere makes a mapped connection rebuild its map.
    /// </summary>
    internal void ForReads() => _reads.Value = true;
}

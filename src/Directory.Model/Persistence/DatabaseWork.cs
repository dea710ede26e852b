namespace ScimBridge.Model.Persistence;

/// <summary>What a unit of work (one SCIM request) does with the database, declared once at its start.</summary>
public enum DatabaseWork
{
    /// <summary>Only reads: lookups may use read-only connections and share one snapshot.</summary>
    Reads,

    /// <summary>Reads and writes through EF Core: one connection, opened once for all queries and the save.</summary>
    Writes,

    /// <summary>Writes that mostly bypass EF Core's connection (new users): it is opened only by the queries that need it.</summary>
    WritesOnDemand,
}

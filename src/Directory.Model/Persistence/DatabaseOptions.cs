namespace ScimBridge.Model.Persistence;

/// <summary>Where the directory is stored. Bound from <c>ScimBridge:Database</c>.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "ScimBridge:Database";

    /// <summary><c>Sqlite</c> (default, a local file) or <c>Postgres</c>.</summary>
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    public string ConnectionString { get; set; } = "Data Source=data/scimbridge.db";
}

/// <summary>Supported database engines.</summary>
public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

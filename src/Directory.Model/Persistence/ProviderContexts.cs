using Microsoft.EntityFrameworkCore;

namespace ScimBridge.Model.Persistence;

/// <summary>The SQLite flavour of the context; it owns the SQLite migrations.</summary>
public sealed class SqliteScimBridgeDbContext(DbContextOptions<SqliteScimBridgeDbContext> options)
    : ScimBridgeDbContext(options);

/// <summary>The PostgreSQL flavour of the context; it owns the PostgreSQL migrations.</summary>
public sealed class PostgresScimBridgeDbContext(DbContextOptions<PostgresScimBridgeDbContext> options)
    : ScimBridgeDbContext(options);

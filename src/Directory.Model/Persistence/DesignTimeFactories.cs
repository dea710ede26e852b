using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace ScimBridge.Model.Persistence;

/// <summary>Lets <c>dotnet ef migrations add</c> build the SQLite context without a host.</summary>
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteScimBridgeDbContext>
{
    public SqliteScimBridgeDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteScimBridgeDbContext>().UseSqlite("Data Source=design.db").Options);
}

/// <summary>Lets <c>dotnet ef migrations add</c> build the PostgreSQL context without a server.</summary>
public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresScimBridgeDbContext>
{
    public PostgresScimBridgeDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresScimBridgeDbContext>().UseNpgsql("Host=localhost;Database=design").Options);
}

using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Npgsql;
using ScimBridge.Model.Persistence;

namespace ScimBridge.Scim.Operations;

/// <summary>
/// Ready only when the database answers: a connection of its own (not one from a pool, which may still hold a file
/// that was since replaced or removed) opens and reads the schema. A SQLite file is never created by the check.
/// </summary>
public sealed class DatabaseHealthCheck(IOptions<DatabaseOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var database = options.Value;
        try
        {
            await using var connection = Open(database);
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = database.Provider == DatabaseProvider.Sqlite
                ? "SELECT count(*) FROM sqlite_master"
                : "SELECT 1";
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy($"{database.Provider} answers");
        }
        catch (Exception e) when (e is DbException or IOException or InvalidOperationException or ArgumentException)
        {
            return HealthCheckResult.Unhealthy($"{database.Provider}: {e.Message}");
        }
    }

    private static DbConnection Open(DatabaseOptions database)
    {
        if (database.Provider == DatabaseProvider.Sqlite)
        {
            var builder = new SqliteConnectionStringBuilder(database.ConnectionString) { Pooling = false };
            if (builder.Mode == SqliteOpenMode.ReadWriteCreate)
            {
                builder.Mode = SqliteOpenMode.ReadWrite;
            }

            return new SqliteConnection(builder.ConnectionString);
        }

        return new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database.ConnectionString) { Timeout = 5 }.ConnectionString);
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ScimBridge.Model.Persistence.CompiledModels.Postgres;
using ScimBridge.Model.Persistence.CompiledModels.Sqlite;

namespace ScimBridge.Model.Persistence;

/// <summary>
/// Brings the database schema up to date at start; for SQLite also switches the file to WAL mode and refreshes the
/// planner's statistics.
/// </summary>
public static class DatabaseInitializer
{
    /// <summary>
    /// Builds the configured provider's EF Core model on a thread-pool thread. A process's start runs on one thread until
    /// it first uses the database, which then waits for the model (about 0.1 s); started as soon as the settings are
    /// known, the model is built beside the rest of the start on the second core instead.
    /// </summary>
    public static void StartBuildingModel(this IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var postgres = Enum.TryParse<DatabaseProvider>(configuration[$"{DatabaseOptions.Section}:{nameof(DatabaseOptions.Provider)}"], ignoreCase: true, out var provider)
            && provider == DatabaseProvider.Postgres;
        // A failure here surfaces again, and is reported, where the database is first used.
        _ = Task.Run(() => postgres ? PostgresScimBridgeDbContextModel.Instance : SqliteScimBridgeDbContextModel.Instance)
            .ContinueWith(static built => _ = built.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
    }

    public static async Task MigrateDatabaseAsync(this IServiceProvider services, CancellationToken ct = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ScimBridgeDbContext>();
        if (db.IsSqlite)
        {
            var dataSource = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource;
            var folder = Path.GetDirectoryName(Path.GetFullPath(dataSource));
            if (!string.IsNullOrEmpty(folder))
            {
                System.IO.Directory.CreateDirectory(folder);
            }

            await db.Database.OpenConnectionAsync(ct);
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        }

        // MigrateAsync compares the model with the last migration's, which costs admin commands most of their start;
        // only a database that lacks a migration pays for it.
        var applied = db.IsSqlite
            ? await AppliedMigrationsAsync(db, ct)
            : (await db.Database.GetAppliedMigrationsAsync(ct)).ToHashSet(StringComparer.Ordinal);
        if (db.Database.GetMigrations().Any(m => !applied.Contains(m)))
        {
            await db.Database.MigrateAsync(ct);
        }

        if (db.IsSqlite)
        {
            // Without statistics SQLite guesses join orders, and for a list page's groups it guessed the slow one
            // (every group probed for every user: 226 ms against 2 ms at 100,000 users). PRAGMA optimize analyzes only
            // tables never analyzed or much changed since, each from a bounded sample (about 0.2 s at that size).
            await db.Database.ExecuteSqlRawAsync("PRAGMA analysis_limit=1000; PRAGMA optimize=0x10002;", ct);
        }
    }

    /// <summary>
    /// The migrations recorded in SQLite's history table, read with plain SQL: EF's own reading builds a model of the
    /// history table and compiles a query for it, a noticeable part of an admin command's start. None when the table is missing.
    /// </summary>
    private static async Task<HashSet<string>> AppliedMigrationsAsync(ScimBridgeDbContext db, CancellationToken ct)
    {
        var applied = new HashSet<string>(StringComparer.Ordinal);
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            if (!await db.GetService<IHistoryRepository>().ExistsAsync(ct))
            {
                return applied;
            }

            await using var read = connection.CreateCommand();
            read.CommandText = "SELECT \"MigrationId\" FROM \"__EFMigrationsHistory\"";
            await using var reader = await read.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                applied.Add(reader.GetString(0));
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

        return applied;
    }
}

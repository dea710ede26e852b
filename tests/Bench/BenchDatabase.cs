using System.Diagnostics;
using ScimBridge.Testing;

namespace ScimBridge.Bench;

/// <summary>
/// Where a benchmark keeps its data: a fresh SQLite file in its working folder (the default), or with
/// <c>--database postgres</c> a fresh database on a local PostgreSQL server, started the way the tests start theirs.
/// </summary>
public sealed class BenchDatabase
{
    private BenchDatabase(bool postgres) => IsPostgres = postgres;

    public static BenchDatabase Sqlite { get; } = new(postgres: false);

    public static BenchDatabase Postgres { get; } = new(postgres: true);

    public bool IsPostgres { get; }

    public string Name => IsPostgres ? "PostgreSQL" : "SQLite";

    /// <summary>
    /// The databases <c>--database sqlite|postgres|both</c> asks for (SQLite when absent), and the arguments without the option.
    /// </summary>
    public static (IReadOnlyList<BenchDatabase> Databases, string[] Positional) FromArguments(string[] args)
    {
        var at = Array.IndexOf(args, "--database");
        if (at < 0)
        {
            return ([Sqlite], args);
        }

        var value = at + 1 < args.Length ? args[at + 1].ToLowerInvariant() : "";
        IReadOnlyList<BenchDatabase> databases = value switch
        {
            "sqlite" => [Sqlite],
            "postgres" or "postgresql" => [Postgres],
            "both" => [Sqlite, Postgres],
            _ => throw new ArgumentException($"--database takes sqlite, postgres or both, not '{value}'."),
        };
        return (databases, [.. args[..at], .. args[Math.Min(args.Length, at + 2)..]]);
    }

    /// <summary>A connection string to a new, empty database for one benchmark run.</summary>
    public async Task<string> CreateAsync(string folder, string name = "bench")
    {
        if (!IsPostgres)
        {
            return $"Data Source={Path.Combine(folder, name + ".db")}";
        }

        var server = await PostgresServer.StartedAsync();
        var database = $"{name}_{Guid.NewGuid():N}";
        await server.ExecuteAsync($"CREATE DATABASE \"{database}\"");
        return server.ConnectionString(database);
    }

    /// <summary>Points a service process at <paramref name="connectionString"/>.</summary>
    public void Apply(ProcessStartInfo info, string connectionString)
    {
        info.Environment["ScimBridge__Database__Provider"] = IsPostgres ? "Postgres" : "Sqlite";
        info.Environment["ScimBridge__Database__ConnectionString"] = connectionString;
    }
}

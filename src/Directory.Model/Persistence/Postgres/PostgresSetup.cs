using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ScimBridge.Model.Persistence.Postgres;

/// <summary>The PostgreSQL persistence: EF Core (Npgsql), with the user lookups and new users in fewer round trips (README.md here).</summary>
internal static class PostgresSetup
{
    public static IServiceCollection AddPostgresPersistence(this IServiceCollection services, string connectionString)
    {
        connectionString = WithDefaults(connectionString);
        services.AddSingleton<PostgresUserStatements>();
        services.AddScoped<IUserReader, PostgresUserReader>();
        services.AddSingleton<INewUserWriter, PostgresNewUsers>();
        services.AddScoped<IDatabaseWorkScope, EfDatabaseWorkScope>();
        // Single queries, as EF Core does by default; saying so stops its warning at every start.
        services.AddDbContextPool<ScimBridgeDbContext, PostgresScimBridgeDbContext>(o => o
            .UseNpgsql(connectionString, o => o.UseQuerySplittingBehavior(QuerySplittingBehavior.SingleQuery)));
        return services;
    }

    /// <summary>
    /// Settings the service wants unless the connection string says otherwise: statements a request repeats are prepared
    /// once per connection and kept (Max Auto Prepare), and a connection going back to the pool is not reset, which would
    /// drop them (No Reset On Close); the service keeps no session state on a connection.
    /// </summary>
    internal static string WithDefaults(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!Mentions(connectionString, "Max Auto Prepare", "MaxAutoPrepare"))
        {
            builder.MaxAutoPrepare = 64;
        }

        if (!Mentions(connectionString, "No Reset On Close", "NoResetOnClose"))
        {
            builder.NoResetOnClose = true;
        }

        return builder.ConnectionString;
    }

    private static bool Mentions(string connectionString, params string[] keys) =>
        keys.Any(k => connectionString.Contains(k, StringComparison.OrdinalIgnoreCase));
}

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ScimBridge.Model.Persistence.Sqlite;

/// <summary>The SQLite persistence: EF Core for everything, and the native paths where they measured faster (README.md here).</summary>
internal static class SqliteSetup
{
    public static IServiceCollection AddSqlitePersistence(this IServiceCollection services, string connectionString)
    {
        SqliteProcessSettings.Apply();
        // One instance: the service starts it as a hosted service, and admin commands start it themselves (CommandHost).
        services.AddSingleton<SqliteCheckpointer>();
        services.AddHostedService(sp => sp.GetRequiredService<SqliteCheckpointer>());
        services.AddSingleton<SqliteMemoryMap>();
        services.AddSingleton<SqliteReadPool>();
        services.AddSingleton<SqliteUserStatements>();
        services.AddSingleton<SqliteWriteGate>();
        services.AddSingleton<SqliteNewUsers>();
        services.AddSingleton<INewUserWriter>(sp => sp.GetRequiredService<SqliteNewUsers>());
        services.AddScoped<SqliteUserReader>();
        services.AddScoped<IUserReader>(sp => sp.GetRequiredService<SqliteUserReader>());
        services.AddScoped<IDatabaseWorkScope, SqliteDatabaseWorkScope>();
        services.AddDbContextPool<ScimBridgeDbContext, SqliteScimBridgeDbContext>((sp, o) => o
            // Single queries, as EF Core does by default; saying so stops its warning at every start.
            .UseSqlite(connectionString, o => o.UseQuerySplittingBehavior(QuerySplittingBehavior.SingleQuery))
            .AddInterceptors(new SqlitePragmas(sp.GetRequiredService<SqliteMemoryMap>(), leaveLogOnClose: sp.GetService<SqliteShortLivedProcess>() is not null)));
        return services;
    }
}

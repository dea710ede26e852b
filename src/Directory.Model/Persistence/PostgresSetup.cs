using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ScimBridge.Model.Persistence;

/// <summary>The PostgreSQL persistence: EF Core (Npgsql) behind every seam.</summary>
internal static class PostgresSetup
{
    public static IServiceCollection AddPostgresPersistence(this IServiceCollection services, string connectionString)
    {
        services.AddScoped<IUserReader, EfUserReader>();
        services.AddScoped<IDatabaseWorkScope, EfDatabaseWorkScope>();
        services.AddDbContextPool<ScimBridgeDbContext, PostgresScimBridgeDbContext>(o => o
            .UseNpgsql(connectionString, o => o.UseQuerySplittingBehavior(QuerySplittingBehavior.SingleQuery)));
        return services;
    }
}

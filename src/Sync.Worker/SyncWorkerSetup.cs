using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Quartz;
using ScimBridge.Model.Commands;
using ScimBridge.Model.Persistence;
using ScimBridge.Sync.Runs;
using ScimBridge.Sync.Scheduling;
using ScimBridge.Sync.Sources;
using ScimBridge.Sync.Sources.Entra;
using ScimBridge.Sync.Sources.Ldap;

namespace ScimBridge.Sync;

/// <summary>
/// Registers the sync worker: source factories, the source catalog (validated at start), the runner, the
/// <c>sync run</c>/<c>sync runs</c> commands and, unless <c>ScimBridge:Sync:Enabled</c> is false, the Quartz scheduler
/// with its persistent job store. Callable from the SCIM host and from the standalone worker.
/// </summary>
public static class SyncWorkerSetup
{
    public const string SchedulerName = "ScimBridgeSync";

    public static IHostApplicationBuilder AddSyncWorker(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDirectorySourceFactory, EntraSourceFactory>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDirectorySourceFactory, LdapSourceFactory>());
        services.TryAddSingleton<SyncSourceCatalog>();
        services.TryAddSingleton<SyncRunner>();
        services.TryAddSingleton<SyncRunLeases>();
        services.TryAddSingleton<SourceConnectionTester>();
        services.AddScoped<IAdminCommand, SyncRunCommand>();
        services.AddScoped<IAdminCommand, SyncRunsCommand>();
        services.AddSingleton<IValidateOptions<SyncOptions>, SyncOptionsValidator>();
        services.AddOptions<SyncOptions>().BindConfiguration(SyncOptions.Section).ValidateOnStart();

        var sync = builder.Configuration.GetSection(SyncOptions.Section).Get<SyncOptions>() ?? new SyncOptions();
        // No scheduled source, no scheduler: a service without sync sources keeps no job store.
        var scheduled = builder.Configuration.GetSection(SyncSourceCatalog.Section).GetChildren()
            .Any(s => !string.IsNullOrWhiteSpace(s["Schedule"]) && !string.Equals(s["Enabled"], "false", StringComparison.OrdinalIgnoreCase));
        if (sync.Enabled && scheduled)
        {
            var database = builder.Configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
            AddScheduler(services, sync, database);
        }
        return builder;
    }

    private static void AddScheduler(IServiceCollection services, SyncOptions sync, DatabaseOptions database)
    {
        var postgres = database.Provider == DatabaseProvider.Postgres;
        var connectionString = sync.JobStoreConnectionString
            ?? (postgres ? database.ConnectionString : SyncJobStore.SqliteConnectionString(database));
        if (!postgres)
        {
            SyncJobStore.EnsureSqliteFolder(connectionString);
        }

        services.AddQuartz(q =>
        {
            q.ConfigureScheduler(o =>
            {
                o.InstanceName = SchedulerName;
                o.GenerateInstanceId = true;
            });
            q.UseDefaultThreadPool(pool => pool.MaxConcurrency = 4);
            q.UsePersistentStore(store =>
            {
                // Quartz ships the table scripts matching its version and creates only what is missing.
                store.ProvisionSchema();
                store.ConfigureStore(o =>
                {
                    o.StoreJobDataAsStrings = true;
                    o.MisfireThreshold = TimeSpan.FromSeconds(sync.MisfireThresholdSeconds);
                });
                if (postgres)
                {
                    store.UsePostgres(connectionString);
                    store.UseClustering(c =>
                    {
                        c.CheckinInterval = TimeSpan.FromSeconds(10);
                        c.CheckinMisfireThreshold = TimeSpan.FromSeconds(30);
                    });
                }
                else
                {
                    store.UseSqlite(connectionString);
                }
            });
        });
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        // After the Quartz hosted service, so the scheduler (and its schema) is up when the schedule is registered.
        services.AddHostedService<SyncScheduleRegistrar>();
    }
}

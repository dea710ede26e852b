using Microsoft.Extensions.Options;
using ScimBridge.Model.Commands;
using ScimBridge.Model.Persistence;
using ScimBridge.Model.Persistence.Sqlite;
using ScimBridge.Scim.Hosting;

namespace ScimBridge.Scim.Cli;

/// <summary>
/// Runs an admin command on a host that is built but never started: the same services and settings as the service
/// (appsettings.json, environment, command line), without a web server or scheduler. The database is migrated and the
/// settings validated only once the command line is known to be right.
/// </summary>
public static class CommandHost
{
    public static async Task<int> RunAsync(CommandLineSplit invocation, TextWriter output, TextWriter error)
    {
        try
        {
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = ServiceDefaults.HostArgs(invocation.Settings) });
            ServiceDefaults.AddTo(builder.Configuration);
            if (invocation.Mode == InvocationMode.Command)
            {
                builder.Configuration.StartBuildingModel();
            }

            // The process exits after the command: SQLite's write-ahead log is synced and left to the next opener rather
            // than copied into the database file while the user waits.
            builder.Services.AddSingleton<SqliteShortLivedProcess>();
            builder.AddScimBridge(commandMode: true);
            builder.Services.AddSingleton<ICommandProgress>(services => ConsoleProgress.ForStandardError(services.GetRequiredService<TimeProvider>()));

            using var host = builder.Build();
            // The host is never started, so the background checkpoint of SQLite's write-ahead log is started here, once
            // the command is known to run: without it, a command that writes much (a sync run deactivating thousands)
            // checkpoints inside its own commits, copying pages and waiting for fsyncs while nothing else proceeds.
            var checkpointer = host.Services.GetService<SqliteCheckpointer>();
            try
            {
                return await AdminCommandLine.RunAsync(host.Services, invocation.Words, output, error, async services =>
                {
                    await PrepareAsync(services);
                    if (checkpointer is not null)
                    {
                        await checkpointer.StartAsync(CancellationToken.None);
                    }
                });
            }
            finally
            {
                if (checkpointer is not null)
                {
                    await checkpointer.StopAsync(CancellationToken.None);
                }
            }
        }
        catch (Exception e) when (StartupProblems.Describe(e) is { } problems)
        {
            await StartupProblems.WriteAsync(error, problems);
            return 1;
        }
    }

    private static async Task PrepareAsync(IServiceProvider services)
    {
        services.GetService<IStartupValidator>()?.Validate();
        await services.MigrateDatabaseAsync();
    }
}

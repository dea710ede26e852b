using Microsoft.Extensions.Options;
using ScimBridge.Model.Commands;
using ScimBridge.Model.Persistence;
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
            builder.AddScimBridge(commandMode: true);
            builder.Services.AddSingleton<ICommandProgress>(services => ConsoleProgress.ForStandardError(services.GetRequiredService<TimeProvider>()));

            using var host = builder.Build();
            return await AdminCommandLine.RunAsync(host.Services, invocation.Words, output, error, PrepareAsync);
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

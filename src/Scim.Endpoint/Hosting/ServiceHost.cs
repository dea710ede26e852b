using Microsoft.Extensions.Options;
using ScimBridge.Model;
using ScimBridge.Model.Persistence;
using ScimBridge.Scim.Logging;
using ScimBridge.Sync;
using Serilog;

namespace ScimBridge.Scim.Hosting;

/// <summary>Runs the service (SCIM server, scheduled sync) or the sync worker alone until it is stopped.</summary>
public static class ServiceHost
{
    public static async Task<int> RunAsync(IReadOnlyList<string> settings)
    {
        Log.Logger = new LoggerConfiguration().WriteTo.Console(standardErrorFromLevel: Serilog.Events.LogEventLevel.Verbose).CreateLogger();
        try
        {
            var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = ServiceDefaults.HostArgs(settings) });
            ServiceDefaults.AddTo(builder.Configuration);
            builder.Configuration.StartBuildingModel();
            builder.AddScimBridge(commandMode: false);
            // Under systemd (Type=notify) the service reports when it is ready and stopping; elsewhere this does nothing.
            builder.Services.AddSystemd();

            var app = builder.Build();
            // Settings first: a configuration mistake is reported before anything touches the database.
            app.Services.GetService<IStartupValidator>()?.Validate();
            await app.Services.MigrateDatabaseAsync();
            app.UseScimBridge();
            await app.RunAsync();
            return 0;
        }
        catch (Exception e) when (e is not HostAbortedException)
        {
            return await FailedAsync(e);
        }
        finally
        {
            await Log.CloseAndFlushAsync();
        }
    }

    /// <summary>
    /// <c>worker</c>: the scheduled directory sync without the SCIM server, for a second process beside a service
    /// that runs with <c>ScimBridge:Sync:Enabled=false</c>.
    /// </summary>
    public static async Task<int> RunWorkerAsync(IReadOnlyList<string> settings)
    {
        Log.Logger = new LoggerConfiguration().WriteTo.Console(standardErrorFromLevel: Serilog.Events.LogEventLevel.Verbose).CreateLogger();
        try
        {
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = ServiceDefaults.HostArgs(settings) });
            ServiceDefaults.AddTo(builder.Configuration);
            builder.Configuration.StartBuildingModel();
            builder.Services.AddSerilog((services, log) => log
                .ReadFrom.Configuration(builder.Configuration)
                .ReadFrom.Services(services)
                .Enrich.FromLogContext()
                .WriteToConsole(builder.Configuration, toStandardError: false));
            builder.AddDirectoryModel();
            builder.AddSyncWorker();
            builder.Services.AddSystemd();

            using var host = builder.Build();
            host.Services.GetService<IStartupValidator>()?.Validate();
            await host.Services.MigrateDatabaseAsync();
            ReportSchedule(host.Services);
            await host.RunAsync();
            return 0;
        }
        catch (Exception e)
        {
            return await FailedAsync(e);
        }
        finally
        {
            await Log.CloseAndFlushAsync();
        }
    }

    /// <summary>Says at start what the worker will run, so that a worker with nothing to do is noticed.</summary>
    private static void ReportSchedule(IServiceProvider services)
    {
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("ScimBridge.Worker");
        var enabled = services.GetRequiredService<IConfiguration>().GetValue("ScimBridge:Sync:Enabled", true);
        var scheduled = services.GetRequiredService<ScimBridge.Sync.Sources.SyncSourceCatalog>().Sources
            .Where(s => s.Options.Enabled && !string.IsNullOrWhiteSpace(s.Section["Schedule"])).Select(s => s.Name).ToList();
        if (!enabled || scheduled.Count == 0)
        {
            logger.LogWarning("Sync worker started with nothing to run: {Reason}",
                enabled ? "no enabled sync source has a Schedule (ScimBridge:Sync:Sources:N:Schedule)" : "ScimBridge:Sync:Enabled is false");
        }
        else
        {
            logger.LogInformation("Sync worker started: {Count} scheduled sources ({Sources})", scheduled.Count, string.Join(", ", scheduled));
        }
    }

    private static async Task<int> FailedAsync(Exception e)
    {
        if (StartupProblems.Describe(e) is { } problems)
        {
            await Log.CloseAndFlushAsync();
            await StartupProblems.WriteAsync(Console.Error, problems);
            return 1;
        }

        Log.Fatal(e, "ScimBridge stopped with an error");
        return 1;
    }
}

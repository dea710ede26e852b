using ScimBridge.Model;
using ScimBridge.Model.Commands;
using ScimBridge.Model.Persistence;
using ScimBridge.Scim.Admin;
using ScimBridge.Scim.Admin.Shared;
using ScimBridge.Scim.Errors;
using ScimBridge.Scim.Logging;
using ScimBridge.Scim.Mapping;
using ScimBridge.Scim.Operations;
using ScimBridge.Scim.Organizations;
using ScimBridge.Sync;
using Serilog;
using Serilog.Events;

namespace ScimBridge.Scim;

/// <summary>Composes the service: logging, directory model, admin commands and, unless only a command runs, the SCIM server and console.</summary>
public static class ScimBridgeHost
{
    public static IHostApplicationBuilder AddScimBridge(this IHostApplicationBuilder builder, bool commandMode)
    {
        builder.Services.AddSerilog((services, log) => log
            .ReadFrom.Configuration(builder.Configuration)
            .ReadFrom.Services(services)
            .Enrich.FromLogContext()
            // In command mode standard output carries the command's own output (a token, a preview); logs go to standard error.
            .WriteToConsole(builder.Configuration, toStandardError: commandMode));

        builder.AddDirectoryModel();
        builder.AddSyncWorker();
        builder.Services.AddOptions<LoggingOptions>().BindConfiguration(LoggingOptions.Section).ValidateOnStart();
        builder.Services.AddMemoryCache();
        builder.Services.AddScoped<ScimAccess>();
        builder.Services.AddScoped<IAdminCommand, TokensCreateCommand>();
        builder.Services.AddScoped<IAdminCommand, TokensListCommand>();
        builder.Services.AddScoped<IAdminCommand, TokensRevokeCommand>();
        builder.Services.AddScoped<IAdminCommand, OrganizationOAuthCommand>();
        builder.Services.AddScoped<IAdminCommand, MappingsValidateCommand>();
        builder.Services.AddScoped<IAdminCommand, MappingsPreviewCommand>();
        builder.Services.AddScoped<IAdminCommand, MappingsApplyCommand>();
        builder.Services.AddScoped<IAdminCommand, DatabaseBackupCommand>();
        builder.AddAdminConsoleCommands();
        if (commandMode)
        {
            // A command needs neither the web server's parts (SCIM endpoints, console pages, authentication, rate
            // limits) nor health checks and metrics; leaving them out shortens its start, and their settings are not
            // validated for a command that does not read them.
            return builder;
        }

        builder.AddScimServer();
        builder.AddAdminConsole();
        builder.Services.AddScimBridgeHealth();
        builder.AddScimBridgeMetrics();
        return builder;
    }

    public static WebApplication UseScimBridge(this WebApplication app)
    {
        // Outside the exception handler, so a refused request is logged with the status it was answered with.
        // The path never carries a token (tokens travel in the Authorization header, which is not logged).
        app.UseSerilogRequestLogging(o =>
        {
            o.MessageTemplate = "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0} ms for {Organization} (request {RequestId})";
            // Health probes and scrapes come every few seconds: logged at Debug, unless they fail.
            o.GetLevel = (context, _, error) => error is not null || context.Response.StatusCode >= 500
                ? LogEventLevel.Error
                : context.Request.Path.StartsWithSegments("/healthz") || context.Request.Path.StartsWithSegments("/metrics")
                    ? LogEventLevel.Debug
                    : LogEventLevel.Information;
            o.EnrichDiagnosticContext = (diagnostics, context) =>
            {
                diagnostics.Set("Organization", RequestTags.OrganizationOf(context));
                diagnostics.Set("RequestId", context.TraceIdentifier);
            };
        });
        app.UseExceptionHandler();
        app.UseScimStatusCodeBodies();
        app.UseAdminServerTiming();
        app.UseAdminStatusPages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseOrganizationTag();
        app.UseRateLimiter();
        app.MapScim();
        app.MapAdminConsole();
        app.MapScimBridgeHealth();
        app.MapScimBridgeMetrics();
        return app;
    }
}

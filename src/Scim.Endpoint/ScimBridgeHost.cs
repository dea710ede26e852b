using ScimBridge.Model;
using ScimBridge.Model.Commands;
using ScimBridge.Model.Persistence;
using ScimBridge.Scim.Admin;
using ScimBridge.Scim.Errors;
using ScimBridge.Scim.Logging;
using ScimBridge.Scim.Mapping;
using ScimBridge.Scim.Organizations;
using ScimBridge.Sync;
using Serilog;
using Serilog.Events;

namespace ScimBridge.Scim;

/// <summary>Composes the service: logging, directory model, SCIM server, admin commands.</summary>
public static class ScimBridgeHost
{
    public static WebApplicationBuilder AddScimBridge(this WebApplicationBuilder builder, bool commandMode)
    {
        builder.Services.AddSerilog((services, log) =>
        {
            log.ReadFrom.Configuration(builder.Configuration)
                .ReadFrom.Services(services)
                .Enrich.FromLogContext();
            if (commandMode)
            {
                // In command mode stdout carries the command's own output (a token, a preview); logs go to stderr.
                log.WriteTo.Console(standardErrorFromLevel: LogEventLevel.Verbose);
            }
            else if (Console.IsOutputRedirected)
            {
                // A pipe or a file (systemd, containers): lines are written in batches, a fifth of a second apart at most.
                log.WriteTo.BatchedConsole(TimeSpan.FromMilliseconds(200));
            }
            else
            {
                // A terminal: coloured lines, handed to a background writer instead of making the request wait on the
                // console; when the writer falls behind by the whole buffer, requests wait rather than lines being dropped.
                log.WriteTo.Async(sink => sink.Console(), bufferSize: 10_000, blockWhenFull: true);
            }
        });

        builder.AddDirectoryModel();
        builder.AddScimServer();
        builder.AddSyncWorker();
        builder.AddAdminConsole();
        builder.Services.AddScoped<IAdminCommand, TokensCreateCommand>();
        builder.Services.AddScoped<IAdminCommand, TokensListCommand>();
        builder.Services.AddScoped<IAdminCommand, TokensRevokeCommand>();
        builder.Services.AddScoped<IAdminCommand, OrganizationOAuthCommand>();
        builder.Services.AddScoped<IAdminCommand, MappingsValidateCommand>();
        builder.Services.AddScoped<IAdminCommand, MappingsPreviewCommand>();
        builder.Services.AddScoped<IAdminCommand, MappingsApplyCommand>();
        return builder;
    }

    public static WebApplication UseScimBridge(this WebApplication app)
    {
        // Outside the exception handler, so a refused request is logged with the status it was answered with.
        app.UseSerilogRequestLogging(o => o.MessageTemplate = "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0} ms");
        app.UseExceptionHandler();
        app.UseScimStatusCodeBodies();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.MapScim();
        app.MapAdminConsole();
        app.MapGet("/healthz", () => Results.Ok(new { status = "ok" }));
        return app;
    }
}

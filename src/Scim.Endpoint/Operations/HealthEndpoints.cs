using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ScimBridge.Scim.Operations;

/// <summary>
/// <c>/healthz/live</c>: the process answers (no checks; restart it when this fails). <c>/healthz/ready</c>: the
/// database answers (503 otherwise) and, when sync sources are configured, whether their last runs failed (Degraded,
/// still 200). Both answer JSON: <c>{"status": "Healthy", "checks": {"database": {...}}}</c>. No authentication.
/// </summary>
public static class HealthEndpoints
{
    private const string ReadyTag = "ready";

    public static IServiceCollection AddScimBridgeHealth(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: [ReadyTag])
            .AddCheck<SyncSourcesHealthCheck>("sync-sources", failureStatus: HealthStatus.Degraded, tags: [ReadyTag]);
        return services;
    }

    public static IEndpointRouteBuilder MapScimBridgeHealth(this IEndpointRouteBuilder app)
    {
        var live = new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync };
        app.MapHealthChecks("/healthz/live", live);
        // The address used before live and ready were told apart: it stays, and means live.
        app.MapHealthChecks("/healthz", live);
        app.MapHealthChecks("/healthz/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag), ResponseWriter = WriteAsync });
        return app;
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new
            {
                status = e.Value.Status.ToString(),
                description = e.Value.Description,
                data = e.Value.Data.Count == 0 ? null : e.Value.Data,
            }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, JsonOptions));
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };
}

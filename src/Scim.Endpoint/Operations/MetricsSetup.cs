using OpenTelemetry.Metrics;

namespace ScimBridge.Scim.Operations;

/// <summary>
/// Metrics through OpenTelemetry, exported at <c>/metrics</c> in Prometheus' text format when
/// <c>ScimBridge:Metrics:Enabled</c> is true: ASP.NET Core's request duration per route, method, status code and
/// organization (rates, latencies, 4xx/5xx), Kestrel's connections, the rate limiter, and <see cref="ScimBridgeMetrics"/>.
/// </summary>
public static class MetricsSetup
{
    public const string EnabledKey = MetricsOptions.Section + ":Enabled";

    public static IHostApplicationBuilder AddScimBridgeMetrics(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ScimBridgeMetrics>();
        builder.Services.AddOptions<MetricsOptions>().BindConfiguration(MetricsOptions.Section);
        if (builder.Configuration.GetValue<bool>(EnabledKey))
        {
            builder.Services.AddSingleton<PrometheusExport>();
            builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
                .AddMeter("Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.RateLimiting", ScimBridgeMetrics.MeterName)
                .AddPrometheusExporter());
        }

        return builder;
    }

    public static WebApplication MapScimBridgeMetrics(this WebApplication app)
    {
        // Decided when the services were registered: the endpoint exists exactly when the exporter does.
        if (app.Services.GetService<PrometheusExport>() is not null)
        {
            app.MapPrometheusScrapingEndpoint("/metrics");
            // The metrics are built once, so the observable instruments exist before the first scrape.
            app.Services.GetRequiredService<ScimBridgeMetrics>();
        }

        return app;
    }
}

/// <summary>Present when the Prometheus exporter was registered.</summary>
internal sealed class PrometheusExport;

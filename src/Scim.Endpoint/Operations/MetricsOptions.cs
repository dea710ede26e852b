namespace ScimBridge.Scim.Operations;

/// <summary>Metrics export. Bound from <c>ScimBridge:Metrics</c>.</summary>
public sealed class MetricsOptions
{
    public const string Section = "ScimBridge:Metrics";

    /// <summary>Serve OpenTelemetry metrics at <c>/metrics</c> in Prometheus' text format (no authentication: keep it off the internet).</summary>
    public bool Enabled { get; set; }
}

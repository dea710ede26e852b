namespace ScimBridge.Scim.Logging;

/// <summary>Log output. Bound from <c>ScimBridge:Logging</c>; levels are set under <c>Serilog:MinimumLevel</c>.</summary>
public sealed class LoggingOptions
{
    public const string Section = "ScimBridge:Logging";

    /// <summary><c>Text</c>: readable lines; <c>Json</c>: one compact JSON object per line (Serilog's CLEF).</summary>
    public LogFormat Format { get; set; } = LogFormat.Text;
}

/// <summary>How log events are written.</summary>
public enum LogFormat
{
    Text,
    Json,
}

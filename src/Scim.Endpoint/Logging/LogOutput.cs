using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace ScimBridge.Scim.Logging;

/// <summary>
/// Where and how log events are written. <c>ScimBridge:Logging:Format</c> = <c>Text</c> (default: readable lines,
/// coloured on a terminal) or <c>Json</c> (one compact JSON object per line, <c>@t</c>, <c>@mt</c>, <c>@l</c> and the
/// event's properties, for log collectors). Each event is written once: when <c>Serilog:WriteTo</c> already names a
/// console sink, none is added here.
/// </summary>
public static class LogOutput
{
    public const string FormatKey = LoggingOptions.Section + ":Format";

    /// <param name="toStandardError">Command mode: standard output carries the command's result, so logs go to standard error.</param>
    public static LoggerConfiguration WriteToConsole(this LoggerConfiguration log, IConfiguration configuration, bool toStandardError)
    {
        if (configuration.GetSection("Serilog:WriteTo").GetChildren()
            .Any(s => (s["Name"] ?? s.Value)?.Contains("Console", StringComparison.OrdinalIgnoreCase) == true))
        {
            return log;
        }

        var json = string.Equals(configuration[FormatKey], "Json", StringComparison.OrdinalIgnoreCase);
        if (toStandardError)
        {
            return json
                ? log.WriteTo.Console(new CompactJsonFormatter(), standardErrorFromLevel: LogEventLevel.Verbose)
                : log.WriteTo.Console(standardErrorFromLevel: LogEventLevel.Verbose);
        }

        if (json)
        {
            // Batched like plain lines in a pipe; a terminal gets the same JSON, batched too.
            return log.WriteTo.BatchedConsole(TimeSpan.FromMilliseconds(200), formatter: new CompactJsonFormatter());
        }

        if (Console.IsOutputRedirected)
        {
            // A pipe or a file (systemd, containers): lines are written in batches, a fifth of a second apart at most.
            return log.WriteTo.BatchedConsole(TimeSpan.FromMilliseconds(200));
        }

        // A terminal: coloured lines, handed to a background writer instead of making the request wait on the
        // console; when the writer falls behind by the whole buffer, requests wait rather than lines being dropped.
        return log.WriteTo.Async(sink => sink.Console(), bufferSize: 10_000, blockWhenFull: true);
    }
}

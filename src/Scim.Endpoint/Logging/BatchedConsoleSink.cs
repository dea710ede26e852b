using System.Text;
using Serilog;
using Serilog.Configuration;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Display;

namespace ScimBridge.Scim.Logging;

/// <summary>
/// Console output for a service whose standard output goes to a pipe or a file (systemd, a container, a log
/// collector): events are formatted off the request path and written in batches, one write and flush per batch.
/// The console sink writes and flushes every event on its own, which under load cost more CPU than the SCIM
/// request it described. Nothing is dropped: the queue is unbounded, and the flush at shutdown empties it.
/// </summary>
public sealed class BatchedConsoleSink(ITextFormatter formatter, Stream output) : IBatchedLogEventSink, IDisposable
{
    public const string OutputTemplate = "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{NewLine}{Exception}";

    private readonly StreamWriter _writer = new(output, new UTF8Encoding(false), bufferSize: 64 * 1024) { AutoFlush = false };

    public Task EmitBatchAsync(IReadOnlyCollection<LogEvent> batch)
    {
        foreach (var logEvent in batch)
        {
            formatter.Format(logEvent, _writer);
        }

        _writer.Flush();
        return Task.CompletedTask;
    }

    public Task OnEmptyBatchAsync() => Task.CompletedTask;

    public void Dispose() => _writer.Dispose();
}

public static class BatchedConsoleSinkExtensions
{
    /// <summary>Writes to standard output in batches, at most <paramref name="delay"/> after an event was logged.</summary>
    public static LoggerConfiguration BatchedConsole(this LoggerSinkConfiguration to, TimeSpan delay, Stream? output = null, ITextFormatter? formatter = null) =>
        to.Sink(
            new BatchedConsoleSink(formatter ?? new MessageTemplateTextFormatter(BatchedConsoleSink.OutputTemplate, formatProvider: null), output ?? Console.OpenStandardOutput()),
            new BatchingOptions { BatchSizeLimit = 10_000, BufferingTimeLimit = delay, EagerlyEmitFirstEvent = true, QueueLimit = null });
}

using System.Text;
using ScimBridge.Scim.Logging;
using Serilog;

namespace ScimBridge.Scim.Tests.Logging;

public class BatchedConsoleSinkTests
{
    [Fact]
    public void Every_event_reaches_the_output_in_order_with_the_console_layout_once_the_logger_is_closed()
    {
        using var output = new KeptStream();
        var log = new LoggerConfiguration().WriteTo.BatchedConsole(TimeSpan.FromSeconds(10), output).CreateLogger();
        for (var i = 0; i < 2_500; i++)
        {
            log.Information("HTTP {RequestMethod} {RequestPath} responded {StatusCode}", "GET", $"/scim/v2/Users/{i}", 200);
        }

        log.Error(new InvalidOperationException("boom"), "Request failed");
        log.Dispose();

        var lines = output.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var requests = lines.Where(l => l.Contains("responded", StringComparison.Ordinal)).ToList();
        Assert.Equal(2_500, requests.Count);
        Assert.Matches(@"^\[\d\d:\d\d:\d\d INF\] HTTP GET /scim/v2/Users/0 responded 200$", requests[0]);
        Assert.EndsWith("/scim/v2/Users/2499 responded 200", requests[^1], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.Contains("ERR] Request failed", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("System.InvalidOperationException: boom", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Lines_appear_without_waiting_for_the_logger_to_close()
    {
        using var output = new KeptStream();
        using var log = new LoggerConfiguration().WriteTo.BatchedConsole(TimeSpan.FromMilliseconds(50), output).CreateLogger();
        log.Information("first");
        log.Information("second");

        await Poll.UntilAsync(() => output.Text.Contains("second", StringComparison.Ordinal), "the second line on the console");

        Assert.Contains("INF] second", output.Text, StringComparison.Ordinal);
    }

    /// <summary>A memory stream whose bytes stay readable after the sink disposes its writer.</summary>
    private sealed class KeptStream : MemoryStream
    {
        private byte[]? _kept;

        public string Text => Encoding.UTF8.GetString(_kept ?? ToArray());

        protected override void Dispose(bool disposing)
        {
            _kept ??= ToArray();
            base.Dispose(disposing);
        }
    }
}

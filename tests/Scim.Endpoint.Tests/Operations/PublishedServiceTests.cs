using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;

namespace ScimBridge.Scim.Tests.Operations;

/// <summary>
/// The service as it is deployed: <c>dotnet publish src/Scim.Endpoint -c Release -o FOLDER</c>, then the published
/// executable started from another working folder that holds its own <c>appsettings.json</c>.
/// </summary>
public sealed class PublishedServiceTests : IAsyncLifetime
{
    private readonly string _root = ServiceExecutable.NewFolder();
    private string Published => Path.Combine(_root, "out");
    private string Site => Path.Combine(_root, "site");
    private string Executable => Path.Combine(Published, OperatingSystem.IsWindows() ? "ScimBridge.Scim.exe" : "ScimBridge.Scim");
    private readonly int _port = ServiceExecutable.FreePort();
    private Process? _service;
    private readonly List<string> _log = [];

    private List<string> LogLines()
    {
        lock (_log)
        {
            return [.. _log];
        }
    }

    public async Task InitializeAsync()
    {
        // --no-build: the suite has built the solution already; publishing lays out (and checks) the folder.
        var project = Path.Combine(ServiceExecutable.RepositoryRoot(), "src", "Scim.Endpoint");
        var (exit, output, error) = await ServiceExecutable.RunAsync(
            ServiceExecutable.StartInfo(_root, "dotnet", ["publish", project, "-c", "Release", "-o", Published, "--no-build", "-nologo"]));
        Assert.True(exit == 0, output + error);

        Directory.CreateDirectory(Site);
        await File.WriteAllTextAsync(Path.Combine(Site, "appsettings.json"), $$"""
            {
              "Urls": "http://127.0.0.1:{{_port}}",
              "ScimBridge": {
                "Logging": { "Format": "Json" },
                "Database": { "ConnectionString": "Data Source=state/site.db" },
                "Metrics": { "Enabled": true }
              }
            }
            """);
    }

    [Fact]
    public async Task The_published_service_reads_its_working_folder_s_settings_reports_health_and_counts_requests()
    {
        Assert.True(File.Exists(Path.Combine(Published, "appsettings.sample.json")));
        Assert.False(File.Exists(Path.Combine(Published, "appsettings.json")), "settings belong to the working folder, not the program's");
        var (exit, tokenOutput, tokenError) = await ServiceExecutable.RunAsync(ServiceExecutable.StartInfo(Site, Executable, ["tokens", "create", "--org", "acme"]));
        Assert.True(exit == 0, tokenOutput + tokenError);
        var token = tokenOutput.TrimEnd().Split('\n')[^1].Trim();
        Assert.True(File.Exists(Path.Combine(Site, "state", "site.db")), "the database path comes from the working folder's appsettings.json");

        _service = Process.Start(ServiceExecutable.StartInfo(Site, Executable, []))!;
        _service.OutputDataReceived += (_, e) =>
        {
            if (!string.IsNullOrWhiteSpace(e.Data))
            {
                lock (_log)
                {
                    _log.Add(e.Data);
                }
            }
        };
        _service.BeginOutputReadLine();
        _service.BeginErrorReadLine();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_port}") };
        await WaitUntilAnsweringAsync(http);

        var ready = await http.GetAsync("/healthz/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);

        using var scim = new HttpRequestMessage(HttpMethod.Get, "/scim/v2/Users");
        scim.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(scim)).StatusCode);
        var metrics = await http.GetStringAsync("/metrics");
        Assert.Contains(metrics.Split('\n'), line =>
            line.StartsWith("http_server_request_duration_seconds_count{", StringComparison.Ordinal)
            && line.Contains("http_route=\"/scim/v2/Users/\"", StringComparison.Ordinal)
            && line.Contains("scimbridge_organization=\"acme\"", StringComparison.Ordinal)
            && line.Contains("http_response_status_code=\"200\"", StringComparison.Ordinal)
            && line.EndsWith(" 1", StringComparison.Ordinal));

        // Logs: JSON lines, each event once, no warning on a normal start, the request line names organization and request id.
        var requestLine = await WaitForLogLineAsync("/scim/v2/Users");
        var logged = LogLines();
        var events = logged.Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement).ToList();
        Assert.DoesNotContain(events, e => e.TryGetProperty("@l", out var level) && level.GetString() is "Warning" or "Error" or "Fatal");
        Assert.Single(logged, l => l.Contains("/scim/v2/Users", StringComparison.Ordinal));
        Assert.Equal(logged.Count, logged.Distinct().Count());
        var request = System.Text.Json.JsonDocument.Parse(requestLine).RootElement;
        Assert.Equal("acme", request.GetProperty("Organization").GetString());
        Assert.False(string.IsNullOrEmpty(request.GetProperty("RequestId").GetString()));
        Assert.DoesNotContain(logged, l => l.Contains(token, StringComparison.Ordinal) || l.Contains(token[..12], StringComparison.Ordinal));

        // Unreadable for root too: permissions do not stop root, so the file is replaced by one that is not a database.
        var database = Path.Combine(Site, "state", "site.db");
        foreach (var file in new[] { database, database + "-wal", database + "-shm" })
        {
            File.Delete(file);
        }

        await File.WriteAllTextAsync(database, "this is not a SQLite database, it only has the name of one\n");
        var unready = await http.GetAsync("/healthz/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, unready.StatusCode);
        Assert.Contains("\"database\":{\"status\":\"Unhealthy\"", await unready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz/live")).StatusCode);
    }

    private async Task<string> WaitForLogLineAsync(string text)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromMinutes(1))
        {
            if (LogLines().FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal)) is { } line)
            {
                return line;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"No log line with '{text}' within a minute; the log was:\n{string.Join('\n', LogLines())}");
    }

    private async Task WaitUntilAnsweringAsync(HttpClient http)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromMinutes(2))
        {
            Assert.False(_service!.HasExited, $"the published service exited with {(_service.HasExited ? _service.ExitCode : 0)}");
            try
            {
                if ((await http.GetAsync("/healthz/live")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("The published service did not answer /healthz/live within 2 minutes.");
    }

    public async Task DisposeAsync()
    {
        if (_service is { HasExited: false })
        {
            _service.Kill(entireProcessTree: true);
            await _service.WaitForExitAsync();
        }

        _service?.Dispose();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

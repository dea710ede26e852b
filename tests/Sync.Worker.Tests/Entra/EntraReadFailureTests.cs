using Microsoft.Extensions.Logging;
using ScimBridge.Model.Reconcile;
using ScimBridge.Sync.Sources.Entra;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace ScimBridge.Sync.Tests.Entra;

public sealed class EntraReadFailureTests : IDisposable
{
    private readonly GraphStub _graph = new();

    public void Dispose() => _graph.Dispose();

    private void StubEmptyDirectoryExceptUsers()
    {
        _graph.StubLatestDeltaLinks();
        _graph.Get("/groups", GraphJson.Page(_graph.GraphRoot, "groups", []));
    }

    [Fact]
    public async Task Throttled_request_is_retried_after_the_Retry_After_wait()
    {
        StubEmptyDirectoryExceptUsers();
        var users = Request.Create().WithPath("/v1.0/users").UsingGet();
        _graph.Server.Given(users).InScenario("throttle").WillSetStateTo("throttled once")
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "1").WithHeader("Content-Type", "application/json")
                .WithBody(GraphJson.Error("TooManyRequests", "Too many requests.").ToJsonString()));
        _graph.Server.Given(users).InScenario("throttle").WhenStateIs("throttled once")
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithBody(GraphJson.Page(_graph.GraphRoot, "users", [GraphJson.User("u-1", "adele@contoso.com")]).ToJsonString()));
        using var source = _graph.CreateSource();

        var snapshot = await source.ReadAsync(null, CancellationToken.None);

        Assert.Equal("u-1", Assert.Single(snapshot.Users).Key);
        var attempts = _graph.RequestsTo("/users");
        Assert.Equal(2, attempts.Count);
        Assert.Equal(429, attempts[0].ResponseMessage.StatusCode);
        Assert.Equal("1", attempts[1].RequestMessage.Headers!["Retry-Attempt"][0]);
        var waited = attempts[1].RequestMessage.DateTime - attempts[0].RequestMessage.DateTime;
        Assert.True(waited >= TimeSpan.FromMilliseconds(950), $"retried after {waited.TotalMilliseconds} ms, Retry-After asked for 1 s");
    }

    [Fact]
    public async Task Service_unavailable_on_every_retry_fails_the_read()
    {
        StubEmptyDirectoryExceptUsers();
        _graph.GetFails("/users", 503, "serviceNotAvailable", "The service is temporarily unavailable.", retryAfterSeconds: 0);
        using var source = _graph.CreateSource();

        var error = await Assert.ThrowsAsync<DirectoryReadException>(() => source.ReadAsync(null, CancellationToken.None));

        Assert.Contains("503", error.Message);
        // The first attempt and the SDK's three retries.
        Assert.Equal(1 + 3, _graph.RequestsTo("/users").Count);
    }

    [Fact]
    public async Task Failure_on_the_second_page_fails_the_read_instead_of_returning_the_first_page()
    {
        StubEmptyDirectoryExceptUsers();
        _graph.Get("/users", GraphJson.Page(_graph.GraphRoot, "users", [GraphJson.User("u-1", "adele@contoso.com")],
            nextLink: $"{_graph.GraphRoot}/users?$skiptoken=page-2"));
        _graph.GetFails("/users", 500, "generalException", "An internal server error occurred.", ("$skiptoken", "page-2"));
        using var source = _graph.CreateSource();

        var error = await Assert.ThrowsAsync<DirectoryReadException>(() => source.ReadAsync(null, CancellationToken.None));

        Assert.Contains("500", error.Message);
        Assert.StartsWith($"Entra source 'entra-test' at {_graph.GraphRoot}: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("users, page 2", error.Message, StringComparison.Ordinal);
        Assert.Contains("skiptoken=page-2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_page_cut_off_on_every_try_fails_the_read_naming_the_source_page_and_URL_after_one_retry()
    {
        StubEmptyDirectoryExceptUsers();
        _graph.Get("/users", GraphJson.Page(_graph.GraphRoot, "users", [GraphJson.User("u-1", "adele@contoso.com")],
            nextLink: $"{_graph.GraphRoot}/users?$skiptoken=page-2"));
        _graph.GetTruncated("/users", GraphJson.Page(_graph.GraphRoot, "users", [GraphJson.User("u-2", "alex@contoso.com")]), ("$skiptoken", "page-2"));
        using var source = _graph.CreateSource();

        var error = await Assert.ThrowsAsync<DirectoryReadException>(() => source.ReadAsync(null, CancellationToken.None));

        Assert.StartsWith($"Entra source 'entra-test' at {_graph.GraphRoot}: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("users, page 2", error.Message, StringComparison.Ordinal);
        Assert.Contains("skiptoken=page-2", error.Message, StringComparison.Ordinal);
        Assert.Contains("not complete JSON", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        Assert.Equal(2, _graph.RequestsTo("/users").Count(e => e.RequestMessage.Query!.ContainsKey("$skiptoken")));
    }

    [Fact]
    public async Task Failure_while_paging_group_members_fails_the_read()
    {
        _graph.StubLatestDeltaLinks();
        _graph.Get("/users", GraphJson.Page(_graph.GraphRoot, "users", []));
        _graph.Get("/groups", GraphJson.Page(_graph.GraphRoot, "groups", [GraphJson.Group("g-1", "Sales")]));
        _graph.Get("/groups/g-1/members", GraphJson.Page(_graph.GraphRoot, "directoryObjects", [GraphJson.DirectoryObject("user", "u-1")],
            nextLink: $"{_graph.GraphRoot}/groups/g-1/members?$skiptoken=m-2"));
        _graph.GetFails("/groups/g-1/members", 403, "Authorization_RequestDenied", "Insufficient privileges.", ("$skiptoken", "m-2"));
        using var source = _graph.CreateSource();

        await Assert.ThrowsAsync<DirectoryReadException>(() => source.ReadAsync(null, CancellationToken.None));
    }

    [Fact]
    public async Task Failure_in_a_delta_run_fails_the_read()
    {
        var state = await _graph.FirstRunStateAsync();
        _graph.Get("/users/delta*", GraphJson.DeltaPage(_graph.GraphRoot, "users", [GraphJson.RemovedUser("u-1", "deleted")], skipToken: "p2"),
            ("$deltatoken", "users-token-1"));
        _graph.GetFails("/users/delta*", 500, "generalException", "An internal server error occurred.", ("$skiptoken", "p2"));
        var fullReadsBefore = _graph.RequestsTo("/users").Count;
        using var source = _graph.CreateSource();

        await Assert.ThrowsAsync<DirectoryReadException>(() => source.ReadAsync(state, CancellationToken.None));

        Assert.Single(_graph.RequestsTo("/users/delta*"), e => e.RequestMessage.Query!.TryGetValue("$skiptoken", out var token) && token[0] == "p2");
        // A failed delta is not an expired token: no fallback read that could hide the failure.
        Assert.Equal(fullReadsBefore, _graph.RequestsTo("/users").Count);
    }

    [Fact]
    public async Task Graph_not_answering_in_time_fails_the_read()
    {
        StubEmptyDirectoryExceptUsers();
        _graph.Server.Given(Request.Create().WithPath("/v1.0/users").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithDelay(TimeSpan.FromSeconds(3)).WithHeader("Content-Type", "application/json")
                .WithBody(GraphJson.Page(_graph.GraphRoot, "users", []).ToJsonString()));
        using var source = _graph.CreateSource(s => s.RequestTimeoutSeconds = 1);

        var error = await Assert.ThrowsAsync<DirectoryReadException>(() => source.ReadAsync(null, CancellationToken.None));

        Assert.Contains("in time", error.Message);
    }

    [Fact]
    public async Task Rejected_sign_in_fails_the_read_without_calling_Graph()
    {
        using var source = _graph.CreateSource(s => s.TenantId = "unknown-tenant.example");

        var error = await Assert.ThrowsAsync<DirectoryReadException>(() => source.ReadAsync(null, CancellationToken.None));

        Assert.Contains("sign-in", error.Message);
        Assert.Empty(_graph.RequestsTo("/*"));
    }

    [Fact]
    public async Task Logs_never_contain_the_client_secret_the_access_token_or_delta_tokens()
    {
        var logs = new ListLogger<EntraDirectorySource>();
        _graph.StubLatestDeltaLinks("users-secret-cursor", "groups-secret-cursor");
        _graph.Get("/users", GraphJson.Page(_graph.GraphRoot, "users", [GraphJson.User("u-1", "adele@contoso.com")]));
        _graph.GetFails("/groups", 500, "generalException", "An internal server error occurred.");
        using var source = _graph.CreateSource(logger: logs);

        await Assert.ThrowsAsync<DirectoryReadException>(() => source.ReadAsync(null, CancellationToken.None));

        Assert.NotEmpty(logs.Lines);
        Assert.Contains(logs.Lines, l => l.Level == LogLevel.Error);
        Assert.All(logs.Lines, l =>
        {
            Assert.DoesNotContain(GraphStub.ClientSecret, l.Text, StringComparison.Ordinal);
            Assert.DoesNotContain(GraphStub.AccessToken, l.Text, StringComparison.Ordinal);
            Assert.DoesNotContain("secret-cursor", l.Text, StringComparison.Ordinal);
        });
    }
}

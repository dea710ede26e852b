using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using ScimBridge.Model.Reconcile;
using ScimBridge.Sync.Sources.Ldap;

namespace ScimBridge.Sync.Tests.Ldap;

/// <summary>Every way a read can go wrong ends in <see cref="DirectoryReadException"/> (or the caller's cancellation), in bounded time.</summary>
public sealed class LdapReadFailureTests : IAsyncLifetime
{
    private SlapdServer _server = null!;
    private LdapTree _tree = null!;

    public async Task InitializeAsync()
    {
        _tree = await LdapTree.StartServerAsync("failures");
        _server = _tree.Server;
    }

    public Task DisposeAsync()
    {
        _server.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Nothing_listening_on_the_port_fails_the_read()
    {
        _tree.AddUser("adele");
        _server.Stop();

        var error = await Assert.ThrowsAsync<DirectoryReadException>(() => _tree.Source().ReadAsync(null, CancellationToken.None));

        Assert.Contains("corp-ldap", error.Message);
    }

    [Fact]
    public async Task A_wrong_password_fails_the_read_without_showing_the_password()
    {
        _tree.AddUser("adele");

        var error = await Assert.ThrowsAsync<DirectoryReadException>(
            () => _tree.Source(s => s.Password = "not-the-password").ReadAsync(null, CancellationToken.None));

        Assert.Contains("bind refused", error.Message);
        Assert.DoesNotContain("not-the-password", error.ToString());
    }

    [Fact]
    public async Task A_missing_base_DN_fails_the_read_instead_of_returning_nobody()
    {
        var error = await Assert.ThrowsAsync<DirectoryReadException>(
            () => _tree.Source(s => s.UserBaseDn = "ou=gone,dc=example,dc=org").ReadAsync(null, CancellationToken.None));

        Assert.Contains("NoSuchObject", error.Message);
    }

    [Fact]
    public async Task A_server_that_stops_between_pages_fails_the_read()
    {
        for (var i = 0; i < 1500; i++)
        {
            _tree.AddUser($"user{i:0000}");
        }
        // One entry per page: 1,500 round trips keep the read busy long enough to interrupt it.
        var source = _tree.Source(s => s.PageSize = 1);
        var read = source.ReadAsync(null, CancellationToken.None);
        await Task.Delay(50);
        Assert.False(read.IsCompleted, "the read should still be paging when the server stops");

        _server.Stop();

        await Assert.ThrowsAsync<DirectoryReadException>(() => read);
    }

    [Fact]
    public async Task A_server_that_stops_answering_mid_read_fails_within_the_timeout()
    {
        for (var i = 0; i < 1500; i++)
        {
            _tree.AddUser($"user{i:0000}");
        }
        var source = _tree.Source(s => { s.PageSize = 1; s.TimeoutSeconds = 2; });
        var clock = Stopwatch.StartNew();
        var read = source.ReadAsync(null, CancellationToken.None);
        await Task.Delay(50);
        Assert.False(read.IsCompleted, "the read should still be paging when the server freezes");

        _server.Pause();
        try
        {
            await Assert.ThrowsAsync<DirectoryReadException>(() => read);
            Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10));
        }
        finally
        {
            _server.Resume();
        }
    }

    [Fact]
    public async Task A_frozen_server_during_bind_fails_within_the_timeout()
    {
        _server.Pause();
        try
        {
            var clock = Stopwatch.StartNew();
            var error = await Assert.ThrowsAsync<DirectoryReadException>(
                () => _tree.Source(s => s.TimeoutSeconds = 2).ReadAsync(null, CancellationToken.None));

            Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10));
            Assert.Contains("within 2 s", error.Message);
        }
        finally
        {
            _server.Resume();
        }
    }

    [Fact]
    public async Task Cancelling_stops_waiting_for_an_outstanding_page_at_once()
    {
        for (var i = 0; i < 1500; i++)
        {
            _tree.AddUser($"user{i:0000}");
        }
        var source = _tree.Source(s => { s.PageSize = 1; s.TimeoutSeconds = 120; s.ReadTimeoutSeconds = 600; });
        using var cancel = new CancellationTokenSource();
        var read = source.ReadAsync(null, cancel.Token);

        // Frozen once the read is under way (1,500 one-entry pages take a while, but a quick machine may be done in
        // 50 ms): the outstanding request would wait 120 s for its answer; cancelling ends the read now.
        await Task.Delay(10);
        _server.Pause();
        try
        {
            Assert.False(read.IsCompleted, "the read should still be under way when the server freezes");
            var clock = Stopwatch.StartNew();
            cancel.Cancel();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read);
            Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(5));
        }
        finally
        {
            _server.Resume();
        }
    }

    [Fact]
    public async Task A_read_longer_than_ReadTimeoutSeconds_fails_and_says_so()
    {
        _tree.AddUser("adele");
        var settings = _tree.Settings(s => { s.TimeoutSeconds = 30; s.ReadTimeoutSeconds = 30; });
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(TimeProvider.System.GetUtcNow());
        var source = new LdapDirectorySource(settings, NullLogger<LdapDirectorySource>.Instance, time);
        _server.Pause();
        try
        {
            var read = source.ReadAsync(null, CancellationToken.None);
            await Task.Delay(50);
            time.Advance(TimeSpan.FromSeconds(31));

            var error = await Assert.ThrowsAsync<DirectoryReadException>(() => read);
            Assert.Contains("did not finish within 30 s", error.Message);
        }
        finally
        {
            _server.Resume();
        }
    }
}

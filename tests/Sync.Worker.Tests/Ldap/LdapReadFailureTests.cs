using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using ScimBridge.Model.Reconcile;
using ScimBridge.Sync.Sources.Ldap;

namespace ScimBridge.Sync.Tests.Ldap;

/// <summary>
/// Every way a read can go wrong ends in <see cref="DirectoryReadException"/> (or the caller's cancellation), in bounded
/// time. Reads that are interrupted first wait until slapd has answered some of their pages, so that the interruption
/// lands in the middle of the read however fast or slow the machine is.
/// </summary>
public sealed class LdapReadFailureTests : IAsyncLifetime
{
    private SlapdServer _server = null!;
    private LdapTree _tree = null!;

    public async Task InitializeAsync()
    {
        _tree = await LdapTree.StartServerAsync("failures", new SlapdOptions { CountSearches = true });
        _server = _tree.Server;
    }

    public Task DisposeAsync()
    {
        _server.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>
    /// Starts a read of 1,500 one-entry pages and waits until slapd has answered 20 of them: the read is under way and
    /// far from done. An <paramref name="incremental"/> read (after a full one with nothing changed since) spends its
    /// pages on the ids of every user in scope, which it searches through libldap directly rather than through the library.
    /// </summary>
    private async Task<Task<DirectorySnapshot>> StartPagedReadAsync(LdapDirectorySource source, CancellationToken ct, bool incremental = false)
    {
        for (var i = 0; i < 1500; i++)
        {
            _tree.AddUser($"user{i:0000}");
        }
        var cursor = incremental ? (await _tree.Source().ReadAsync(null, CancellationToken.None)).NextDeltaState : null;
        Assert.True(!incremental || cursor is not null, "the full read should leave a cursor for the incremental one");
        var before = _server.SearchesAnswered;
        var read = source.ReadAsync(cursor, ct);
        await Poll.UntilAsync(() => _server.SearchesAnswered >= before + 20 || read.IsCompleted, "20 pages of the read");
        Assert.False(read.IsCompleted, "the read should still be paging");
        return read;
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

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_server_that_stops_between_pages_fails_the_read(bool incremental)
    {
        var read = await StartPagedReadAsync(_tree.Source(s => s.PageSize = 1), CancellationToken.None, incremental);

        _server.Stop();

        // Which source, and where in the read: the page the connection was lost at.
        var error = await Assert.ThrowsAsync<DirectoryReadException>(() => read.WaitAsync(Poll.Deadline));
        Assert.Contains("corp-ldap", error.Message);
        Assert.Contains("the server cannot be reached", error.Message);
        Assert.Matches(@"page \d+", error.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_server_that_stops_answering_mid_read_fails_within_the_timeout(bool incremental)
    {
        // The read as a whole may take an hour: only the 2 s wait for one answer can end it.
        var source = _tree.Source(s => { s.PageSize = 1; s.TimeoutSeconds = 2; s.ReadTimeoutSeconds = 3600; });
        var clock = Stopwatch.StartNew();
        var read = await StartPagedReadAsync(source, CancellationToken.None, incremental);

        _server.Pause();
        try
        {
            var error = await Assert.ThrowsAsync<DirectoryReadException>(() => read.WaitAsync(Poll.Deadline));
            Assert.Matches("did not answer in time|No answer within 2 s", error.Message);
            Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(2), $"failed after {clock.Elapsed}, before the 2 s timeout");
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
                () => _tree.Source(s => { s.TimeoutSeconds = 2; s.ReadTimeoutSeconds = 3600; }).ReadAsync(null, CancellationToken.None).WaitAsync(Poll.Deadline));

            // The 2 s connection timeout ended it (the read as a whole may take an hour), and not before it was due.
            Assert.Contains("within 2 s", error.Message);
            Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(2), $"failed after {clock.Elapsed}, before the 2 s timeout");
        }
        finally
        {
            _server.Resume();
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Cancelling_stops_waiting_for_an_outstanding_page_at_once(bool incremental)
    {
        var source = _tree.Source(s => { s.PageSize = 1; s.TimeoutSeconds = 3600; s.ReadTimeoutSeconds = 7200; });
        using var cancel = new CancellationTokenSource();
        var read = await StartPagedReadAsync(source, cancel.Token, incremental);

        // Frozen in the middle of the read: the outstanding request would wait an hour for its answer, so a read that
        // ends well before then (the wait gives up after two minutes) stopped because it was cancelled.
        _server.Pause();
        try
        {
            cancel.Cancel();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read.WaitAsync(Poll.Deadline));
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
            // The read's deadline is set on the fake clock before ReadAsync returns: the clock can move on at once.
            var read = source.ReadAsync(null, CancellationToken.None);
            time.Advance(TimeSpan.FromSeconds(31));

            var error = await Assert.ThrowsAsync<DirectoryReadException>(() => read.WaitAsync(Poll.Deadline));
            Assert.Contains("did not finish within 30 s", error.Message);
        }
        finally
        {
            _server.Resume();
        }
    }
}

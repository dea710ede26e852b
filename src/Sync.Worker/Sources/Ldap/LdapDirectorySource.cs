using System.DirectoryServices.Protocols;
using Microsoft.Extensions.Logging;
using ScimBridge.Model.Reconcile;

namespace ScimBridge.Sync.Sources.Ldap;

/// <summary>
/// LDAP or Active Directory through System.DirectoryServices.Protocols: simple bind over ldap://, StartTLS or ldaps://,
/// Simple Paged Results, ranged member reads, nested groups. A read that fails anywhere, runs out of time or pages
/// incompletely throws <see cref="DirectoryReadException"/>: never a partial snapshot.
/// </summary>
public sealed class LdapDirectorySource : IDirectorySource
{
    private readonly LdapSourceSettings _settings;
    private readonly ILogger<LdapDirectorySource> _logger;
    private readonly TimeProvider _time;

    private readonly Func<LdapSession, IActiveDirectoryConnection> _activeDirectory;

    public LdapDirectorySource(LdapSourceSettings settings, ILogger<LdapDirectorySource> logger, TimeProvider time)
        : this(settings, logger, time, session => session)
    {
    }

    /// <summary>
    /// With <paramref name="activeDirectory"/> in place of the session for what only Active Directory offers (deleted
    /// objects, DirSync): the seam tests use, since OpenLDAP implements neither.
    /// </summary>
    internal LdapDirectorySource(
        LdapSourceSettings settings, ILogger<LdapDirectorySource> logger, TimeProvider time, Func<LdapSession, IActiveDirectoryConnection> activeDirectory)
    {
        _activeDirectory = activeDirectory;
        ArgumentNullException.ThrowIfNull(settings);
        var problems = LdapSourceSettings.Validate(settings);
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems), nameof(settings));
        }
        _settings = settings;
        _logger = logger;
        _time = time;
    }

    public string Name => _settings.Name;

    public Task<DirectorySnapshot> ReadAsync(string? deltaState, CancellationToken ct) => ReadAsync(deltaState, DirectoryReadProgress.None, ct);

    public async Task<DirectorySnapshot> ReadAsync(string? deltaState, DirectoryReadProgress progress, CancellationToken ct)
    {
        var started = _time.GetTimestamp();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(_settings.ReadTimeoutSeconds), _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, deadline.Token);
        try
        {
            var cursor = Cursor(deltaState);
            using var session = await LdapSession.OpenAsync(_settings, linked.Token);
            var cpu = Environment.CpuUsage.TotalTime;
            var snapshot = await new LdapRead(session, token => LdapSession.OpenAsync(_settings, token), _activeDirectory(session), _settings, _logger)
                .ReadAsync(cursor, progress, linked.Token);
            _logger.LogDebug("LDAP source {Source}: read used {CpuMs} ms of CPU", Name, (long)(Environment.CpuUsage.TotalTime - cpu).TotalMilliseconds);
            _logger.LogInformation(
                "LDAP source {Source}: {ReadKind} read of {UserCount} users and {GroupCount} groups in {ElapsedMs} ms",
                Name, snapshot.IsFull ? "full" : "incremental", snapshot.Users.Count, snapshot.Groups.Count,
                (long)_time.GetElapsedTime(started).TotalMilliseconds);
            return snapshot;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException ex) when (deadline.IsCancellationRequested)
        {
            throw Failed($"read did not finish within {_settings.ReadTimeoutSeconds} s", ex);
        }
        catch (DirectoryReadException ex)
        {
            throw Failed(ex.Message, ex);
        }
        catch (Exception ex)
        {
            throw Failed($"read failed: {Describe(ex)}", ex);
        }
    }

    public async Task<ConnectionCheck> CheckConnectionAsync(CancellationToken ct)
    {
        try
        {
            return await LdapConnectionCheck.RunAsync(_settings, _activeDirectory, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw Failed(ex is DirectoryReadException ? ex.Message : $"connection test failed: {Describe(ex)}", ex);
        }
    }

    /// <summary>
    /// A failure is expected (directory down, wrong password, a limit): one line naming the source and its URL, and
    /// the stack trace at debug level only.
    /// </summary>
    private DirectoryReadException Failed(string reason, Exception ex)
    {
        var message = $"LDAP source '{Name}' at {_settings.Url}: {reason}";
        _logger.LogError("{Failure}; nothing from it may be applied", message);
        _logger.LogDebug(ex, "LDAP source {Source}: read failed", Name);
        return new DirectoryReadException(message, ex);
    }

    private LdapCursor? Cursor(string? deltaState)
    {
        if (_settings.EffectiveIncrementalAttribute is not { } marker)
        {
            return null;
        }
        var cursor = LdapCursor.TryParse(deltaState, marker, LdapCursor.ScopeOf(_settings), out var reason);
        if (cursor is not null && _settings.Departures == LdapDepartureDetection.DirSync && cursor.DirSyncCookie is null)
        {
            // Without a cookie DirSync sends the whole domain; only a full read may take that as its start.
            (cursor, reason) = (null, "no DirSync cookie yet");
        }
        if (cursor is null)
        {
            _logger.LogInformation("LDAP source {Source}: full read ({Reason})", Name, reason);
        }
        return cursor;
    }

    /// <summary>A reason safe to log and show: result codes and server messages, never the bind password.</summary>
    /// <summary>The words for a server that is down or silent, on both search paths (the library's and <see cref="LibLdapSearch"/>'s).</summary>
    internal const string ServerUnreachable = "the server cannot be reached";
    internal const string ServerSilent = "the server did not answer in time";

    internal static string Describe(Exception ex) => ex switch
    {
        DirectoryOperationException op => $"the server answered {op.Response?.ResultCode}: {op.Response?.ErrorMessage ?? op.Message}",
        LdapException { ErrorCode: 49 } => "bind refused: wrong BindDn or password",
        LdapException { ErrorCode: 81 } => ServerUnreachable,
        LdapException { ErrorCode: 85 } => ServerSilent,
        LdapException ldap => $"LDAP error {ldap.ErrorCode}: {ldap.Message} {ldap.ServerErrorMessage}".TrimEnd(),
        IOException io => $"cannot read a configured file: {io.Message}",
        _ => ex.GetType().Name + ": " + ex.Message,
    };
}

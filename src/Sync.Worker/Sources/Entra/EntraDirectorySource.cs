using Microsoft.Extensions.Logging;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Kiota.Abstractions;
using ScimBridge.Model.Reconcile;

namespace ScimBridge.Sync.Sources.Entra;

/// <summary>
/// Entra ID through Microsoft Graph with an app-only sign-in. The first read (or one after an expired delta token) is
/// full and also starts Graph delta tracking; later reads return only changes. A read that fails anywhere, including
/// after the throttling retries are used up, throws <see cref="DirectoryReadException"/>: never a partial snapshot.
/// </summary>
public sealed class EntraDirectorySource : IDirectorySource, IDisposable
{
    private readonly EntraSourceSettings _settings;
    private readonly ILogger<EntraDirectorySource> _logger;
    private readonly TimeProvider _time;
    private readonly EntraGraphConnection _connection;

    public EntraDirectorySource(
        EntraSourceSettings settings, ILogger<EntraDirectorySource> logger, TimeProvider time, EntraSourceTransport? transport = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var problems = EntraSourceSettings.Validate(settings);
        if (problems.Count > 0 && transport?.Credential is null)
        {
            throw new ArgumentException(string.Join(" ", problems), nameof(settings));
        }
        _settings = settings;
        _logger = logger;
        _time = time;
        _connection = EntraGraphConnection.Create(settings, transport);
    }

    public string Name => _settings.Name;

    public async Task<DirectorySnapshot> ReadAsync(string? deltaState, CancellationToken ct)
    {
        var started = _time.GetTimestamp();
        try
        {
            var snapshot = await ReadCoreAsync(deltaState, ct);
            _logger.LogInformation(
                "Entra source {Source}: {ReadKind} read of {UserCount} users, {GroupCount} groups, {RemovedUserCount} removed users, {RemovedGroupCount} removed groups in {ElapsedMs} ms",
                Name, snapshot.IsFull ? "full" : "delta", snapshot.Users.Count, snapshot.Groups.Count,
                snapshot.RemovedUserKeys.Count, snapshot.RemovedGroupKeys.Count, (long)_time.GetElapsedTime(started).TotalMilliseconds);
            return snapshot;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (DirectoryReadException ex)
        {
            throw Failed(ex.Message, ex);
        }
        catch (Exception ex)
        {
            throw Failed($"read failed: {GraphFailure.Describe(ex)}", ex);
        }
    }

    /// <summary>Signs in and asks Graph how many users the source's filter selects (<c>/users/$count</c>); reads and writes nothing else.</summary>
    public async Task<ConnectionCheck> CheckConnectionAsync(CancellationToken ct)
    {
        try
        {
            var count = await _connection.Client.Users.Count.GetAsync(request =>
            {
                // $count needs eventual consistency in Graph.
                request.Headers.Add("ConsistencyLevel", "eventual");
                if (!string.IsNullOrWhiteSpace(_settings.UserFilter))
                {
                    request.QueryParameters.Filter = _settings.UserFilter;
                }
            }, ct);
            return new ConnectionCheck(count ?? 0, $"signed in to tenant {_settings.TenantId} as application {_settings.ClientId}; {count ?? 0} users at {_settings.GraphBaseUrl}");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw Failed($"connection test failed: {GraphFailure.Describe(ex)}", ex);
        }
    }

    /// <summary>One line naming the source and its Graph URL; the stack trace at debug level only.</summary>
    private DirectoryReadException Failed(string reason, Exception ex)
    {
        var message = $"Entra source '{Name}' at {_settings.GraphBaseUrl}: {reason}";
        _logger.LogError("{Failure}; nothing from it may be applied", message);
        _logger.LogDebug(ex, "Entra source {Source}: read failed", Name);
        return new DirectoryReadException(message, ex);
    }

    private async Task<DirectorySnapshot> ReadCoreAsync(string? deltaState, CancellationToken ct)
    {
        if (!_settings.SupportsDelta)
        {
            // Graph delta ignores $filter (other than by id), so a filtered scope is read in full every time.
            _logger.LogInformation("Entra source {Source}: user or group filter configured, reading in full", Name);
            return await ReadFullAsync(startDelta: false, ct);
        }

        var delta = new EntraDeltaRead(_connection.Client, _settings, _logger);
        var state = EntraDeltaState.TryParse(deltaState, _settings.GraphBaseUrl, delta.Scope, out var reason);
        if (state is null)
        {
            _logger.LogInformation("Entra source {Source}: full read ({Reason})", Name, reason);
            return await ReadFullAsync(startDelta: true, ct);
        }

        try
        {
            return await delta.ReadChangesAsync(state, ct);
        }
        catch (DirectoryReadException failure) when (failure.InnerException is ApiException ex && IsExpiredDeltaToken(ex))
        {
            _logger.LogWarning("Entra source {Source}: Graph no longer accepts the stored delta token (HTTP {Status}, {ErrorCode}); resyncing in full",
                Name, ex.ResponseStatusCode, (ex as ODataError)?.Error?.Code ?? "no error code");
            return await ReadFullAsync(startDelta: true, ct);
        }
    }

    private async Task<DirectorySnapshot> ReadFullAsync(bool startDelta, CancellationToken ct)
    {
        string? nextState = null;
        if (startDelta)
        {
            var delta = new EntraDeltaRead(_connection.Client, _settings, _logger);
            nextState = (await delta.StartAsync(ct)).Serialize();
        }
        var (users, groups) = await new EntraFullRead(_connection.Client, _settings, _logger).ReadAsync(ct);
        return new DirectorySnapshot { IsFull = true, Users = users, Groups = groups, NextDeltaState = nextState };
    }

    /// <summary>Graph's answers for a delta token it can no longer continue from: 410 Gone, syncStateNotFound, resyncRequired.</summary>
    private static bool IsExpiredDeltaToken(ApiException ex)
    {
        if (ex.ResponseStatusCode == 410)
        {
            return true;
        }
        var code = (ex as ODataError)?.Error?.Code;
        return string.Equals(code, "syncStateNotFound", StringComparison.OrdinalIgnoreCase)
            || string.Equals(code, "resyncRequired", StringComparison.OrdinalIgnoreCase)
            || string.Equals(code, "syncStateInvalid", StringComparison.OrdinalIgnoreCase);
    }

    public void Dispose() => _connection.Dispose();
}

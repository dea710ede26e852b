using Azure.Identity;
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
            _logger.LogError(ex, "Entra source {Source}: read is incomplete, nothing from it may be applied", Name);
            throw;
        }
        catch (Exception ex)
        {
            var reason = Describe(ex);
            _logger.LogError(ex, "Entra source {Source}: read failed ({Reason}); nothing from it may be applied", Name, reason);
            throw new DirectoryReadException($"Entra source '{Name}': read failed: {reason}", ex);
        }
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
        catch (ApiException ex) when (IsExpiredDeltaToken(ex))
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

    /// <summary>A reason safe to log and show: status and Graph error code, never tokens or secrets.</summary>
    private static string Describe(Exception ex) => ex switch
    {
        ODataError odata => $"Graph answered HTTP {odata.ResponseStatusCode} {odata.Error?.Code}: {odata.Error?.Message}",
        ApiException api => $"Graph answered HTTP {api.ResponseStatusCode}",
        AggregateException { InnerExceptions: [.., ApiException last] } =>
            $"Graph kept answering HTTP {last.ResponseStatusCode} after {EntraGraphConnection.MaxRetries} retries",
        AuthenticationFailedException => "sign-in to Entra ID failed (check tenant, client id and secret or certificate)",
        HttpRequestException http => $"Graph could not be reached ({http.HttpRequestError})",
        TimeoutException or TaskCanceledException => "Graph did not answer in time",
        _ => ex.GetType().Name,
    };

    public void Dispose() => _connection.Dispose();
}

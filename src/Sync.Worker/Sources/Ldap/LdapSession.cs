using System.DirectoryServices.Protocols;
using System.Net;
using System.Security.Cryptography;
using ScimBridge.Model.Reconcile;

namespace ScimBridge.Sync.Sources.Ldap;

/// <summary>
/// One bound connection (System.DirectoryServices.Protocols over libldap). Time is bounded without a per-request server
/// time limit (that has crashed the process on Linux): every answer is awaited at most <c>TimeoutSeconds</c>
/// (the connection's Timeout) and an outstanding request is abandoned as soon as the read is cancelled.
/// </summary>
internal sealed class LdapSession : IDisposable
{
    /// <summary>Requests no attributes at all (RFC 4511 4.5.1.8).</summary>
    public const string NoAttributes = "1.1";

    private readonly LdapConnection _connection;
    private readonly TimeSpan _timeout;
    private readonly int _pageSize;

    private LdapSession(LdapConnection connection, TimeSpan timeout, int pageSize)
    {
        _connection = connection;
        _timeout = timeout;
        _pageSize = pageSize;
    }

    public static async Task<LdapSession> OpenAsync(LdapSourceSettings settings, CancellationToken ct)
    {
        if (!LdapEndpoint.TryParse(settings.Url, out var endpoint))
        {
            throw new DirectoryReadException($"'{settings.Url}' is not an ldap:// or ldaps:// URL.");
        }
        var timeout = TimeSpan.FromSeconds(settings.TimeoutSeconds);
        var identifier = new LdapDirectoryIdentifier(endpoint.Host, endpoint.Port, fullyQualifiedDnsHostName: false, connectionless: false);
        var connection = string.IsNullOrWhiteSpace(settings.BindDn)
            ? new LdapConnection(identifier, null, AuthType.Anonymous)
            : new LdapConnection(identifier, new NetworkCredential(settings.BindDn, settings.Password), AuthType.Basic);
        try
        {
            connection.AutoBind = false;
            connection.Timeout = timeout;
            var options = connection.SessionOptions;
            options.ProtocolVersion = 3;
            // Active Directory answers searches at a domain root with referrals; chasing them hangs or leaves scope.
            options.ReferralChasing = ReferralChasingOptions.None;
            if (endpoint.UseSsl)
            {
                options.SecureSocketLayer = true;
            }
            // On Windows the machine's certificate store decides; the option exists for libldap only.
            if (!OperatingSystem.IsWindows() && TrustedDirectory(settings) is { } trusted)
            {
                options.TrustedCertificatesDirectory = trusted;
                options.StartNewTlsSessionContext();
            }

            // StartTLS and bind are synchronous in libldap; they run on their own thread so the wait stays bounded.
            await RunBoundedAsync(() =>
            {
                if (settings.StartTls)
                {
                    // libldap gets the server's URI when .NET first connects, which StartTLS does not do: an
                    // anonymous root DSE read (before any credentials are sent) opens the connection first.
                    connection.SendRequest(new SearchRequest("", "(objectClass=*)", SearchScope.Base, NoAttributes));
                    options.StartTransportLayerSecurity(null);
                }
                connection.Bind();
            }, timeout, $"connecting to {endpoint} and binding", ct);
            return new LdapSession(connection, timeout, settings.PageSize);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Every entry below <paramref name="baseDn"/> matching <paramref name="filter"/>, page by page (Simple Paged Results).</summary>
    public async Task<int> SearchPagedAsync(string baseDn, string filter, string[] attributes, Func<SearchResultEntry, Task> onEntry, CancellationToken ct)
    {
        // Critical: a server that cannot page must refuse the search instead of silently capping the result.
        var paging = new PageResultRequestControl(_pageSize) { IsCritical = true };
        var request = new SearchRequest(baseDn, filter, SearchScope.Subtree, attributes);
        request.Controls.Add(paging);
        var count = 0;
        for (var page = 1; ; page++)
        {
            var response = await SearchAsync(request, ct);
            foreach (SearchResultEntry entry in response.Entries)
            {
                await onEntry(entry);
                count++;
            }
            var pageControl = response.Controls.OfType<PageResultResponseControl>().FirstOrDefault()
                ?? throw new DirectoryReadException($"Search of '{baseDn}' page {page}: the server did not answer with a paged-results control.");
            if (pageControl.Cookie is not { Length: > 0 })
            {
                return count;
            }
            paging.Cookie = pageControl.Cookie;
        }
    }

    /// <summary>One entry by DN, or null when it does not exist.</summary>
    public async Task<SearchResultEntry?> ReadEntryAsync(string dn, string[] attributes, CancellationToken ct)
    {
        try
        {
            var response = await SearchAsync(new SearchRequest(dn, "(objectClass=*)", SearchScope.Base, attributes), ct);
            return response.Entries.Count == 0 ? null : response.Entries[0];
        }
        catch (DirectoryOperationException ex) when (ex.Response?.ResultCode == ResultCode.NoSuchObject)
        {
            return null;
        }
    }

    private async Task<SearchResponse> SearchAsync(SearchRequest request, CancellationToken ct)
    {
        var response = (SearchResponse)await SendAsync(request, ct);
        if (response.ResultCode != ResultCode.Success)
        {
            // Size or time limits, unavailable server parts: anything short of success is an incomplete answer.
            throw new DirectoryReadException(
                $"Search of '{request.DistinguishedName}' ended with {response.ResultCode}: {response.ErrorMessage}");
        }
        return response;
    }

    private Task<DirectoryResponse> SendAsync(DirectoryRequest request, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var answer = new TaskCompletionSource<DirectoryResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        var pending = _connection.BeginSendRequest(request, _timeout, PartialResultProcessing.NoPartialResultSupport, result =>
        {
            try
            {
                answer.TrySetResult(_connection.EndSendRequest(result));
            }
            catch (Exception ex)
            {
                answer.TrySetException(ex);
            }
        }, null);
        var abandon = ct.Register(() =>
        {
            if (answer.TrySetCanceled(ct))
            {
                AbandonQuietly(pending);
            }
        });
        _ = answer.Task.ContinueWith(_ => abandon.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return answer.Task;
    }

    private void AbandonQuietly(IAsyncResult pending)
    {
        try
        {
            _connection.Abort(pending);
        }
        catch (Exception ex) when (ex is ArgumentException or ObjectDisposedException or LdapException)
        {
            // Already answered or the connection is gone: nothing left to abandon.
        }
    }

    private static async Task RunBoundedAsync(Action blocking, TimeSpan timeout, string what, CancellationToken ct)
    {
        var work = Task.Factory.StartNew(blocking, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            await work.WaitAsync(timeout, ct);
        }
        catch (TimeoutException)
        {
            // The blocked call keeps its thread until libldap gives up; the caller disposes the connection meanwhile.
            _ = work.ContinueWith(t => t.Exception, TaskScheduler.Default);
            throw new DirectoryReadException($"No answer within {timeout.TotalSeconds:0} s while {what}.");
        }
        catch (OperationCanceledException)
        {
            _ = work.ContinueWith(t => t.Exception, TaskScheduler.Default);
            throw;
        }
    }

    /// <summary>
    /// The CA directory libldap should trust. A single CA file is copied into a private directory of its own, since
    /// .NET exposes libldap's certificate directory but not its CA file option.
    /// </summary>
    private static string? TrustedDirectory(LdapSourceSettings settings)
    {
        if (!string.IsNullOrEmpty(settings.TrustedCertificatesDirectory))
        {
            return settings.TrustedCertificatesDirectory;
        }
        if (string.IsNullOrEmpty(settings.CaCertificatePath))
        {
            return null;
        }
        var pem = File.ReadAllBytes(settings.CaCertificatePath);
        var directory = Path.Combine(Path.GetTempPath(), "scimbridge-ldap-ca", Convert.ToHexString(SHA256.HashData(pem))[..16]);
        System.IO.Directory.CreateDirectory(directory);
        var target = Path.Combine(directory, "ca.pem");
        if (!File.Exists(target))
        {
            File.WriteAllBytes(target, pem);
        }
        return directory;
    }

    public void Dispose() => _connection.Dispose();
}

using System.DirectoryServices.Protocols;
using System.Net;
using System.Security.Cryptography;
using ScimBridge.Model.Reconcile;

namespace ScimBridge.Sync.Sources.Ldap;

/// <summary>
/// One bound connection (System.DirectoryServices.Protocols over libldap). Time is bounded without a per-request server
/// time limit (that has crashed the process on Linux): every call to libldap waits at most <c>TimeoutSeconds</c> (the
/// connection's Timeout) and runs on a thread of its own, so a cancelled read stops waiting at once.
/// </summary>
/// <remarks>
/// Calls are synchronous on purpose. On Linux the library's asynchronous path (BeginSendRequest) polls libldap for one
/// message at a time with pauses of up to 100 ms: a page of 1,000 entries took 100 s against slapd, against 40 ms
/// for the blocking call, which waits in libldap until the whole page is there.
/// </remarks>
internal sealed class LdapSession : IActiveDirectoryConnection, IDisposable
{
    /// <summary>Requests no attributes at all (RFC 4511 4.5.1.8).</summary>
    public const string NoAttributes = "1.1";

    /// <summary>Grace on top of libldap's own timeout before the wait is given up regardless.</summary>
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(5);

    private readonly LdapConnection _connection;
    private readonly TimeSpan _timeout;
    private readonly int _pageSize;
    private Task _inFlight = Task.CompletedTask;

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
        LibLdapReadahead.EnsureInstalled();
        var identifier = new LdapDirectoryIdentifier(endpoint.Host, endpoint.Port, fullyQualifiedDnsHostName: false, connectionless: false);
        var connection = string.IsNullOrWhiteSpace(settings.BindDn)
            ? new LdapConnection(identifier, null, AuthType.Anonymous)
            : new LdapConnection(identifier, new NetworkCredential(settings.BindDn, settings.Password), AuthType.Basic);
        var session = new LdapSession(connection, timeout, settings.PageSize);
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

            await session.RunAsync(() =>
            {
                if (settings.StartTls)
                {
                    // libldap gets the server's URI when .NET first connects, which StartTLS does not do: an
                    // anonymous root DSE read (before any credentials are sent) opens the connection first.
                    OpenConnection(connection);
                    options.StartTransportLayerSecurity(null);
                }
                connection.Bind();
                return true;
            }, $"connecting to {endpoint} and binding", ct);
            return session;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Every entry below <paramref name="baseDn"/> matching <paramref name="filter"/>, page by page (Simple Paged Results).
    /// With <paramref name="prefetch"/> the next page is asked for while this one is handled, so the server and this
    /// process work at the same time; only for handlers that send no requests of their own on this connection.
    /// <paramref name="pageSize"/> overrides the configured page size (smaller pages for heavy entries).
    /// </summary>
    public async Task<int> SearchPagedAsync(
        string baseDn, string filter, string[] attributes, Func<SearchResultEntry, Task> onEntry, CancellationToken ct, bool prefetch = false,
        int? pageSize = null, DirectoryControl? control = null)
    {
        // Critical: a server that cannot page must refuse the search instead of silently capping the result.
        var paging = new PageResultRequestControl(pageSize ?? _pageSize) { IsCritical = true };
        var request = new SearchRequest(baseDn, filter, SearchScope.Subtree, attributes);
        request.Controls.Add(paging);
        if (control is not null)
        {
            request.Controls.Add(control);
        }
        var count = 0;
        var next = SearchAsync(request, ct);
        for (var page = 1; ; page++)
        {
            SearchResponse response;
            try
            {
                response = await next;
            }
            catch (DirectoryReadException ex)
            {
                throw new DirectoryReadException($"{ex.Message} (page {page})", ex);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                throw new DirectoryReadException($"search of '{baseDn}' failed at page {page}: {LdapDirectorySource.Describe(ex)}", ex);
            }
            var pageControl = response.Controls.OfType<PageResultResponseControl>().FirstOrDefault()
                ?? throw new DirectoryReadException($"Search of '{baseDn}' page {page}: the server did not answer with a paged-results control.");
            var more = pageControl.Cookie is { Length: > 0 };
            if (more)
            {
                paging.Cookie = pageControl.Cookie;
                if (prefetch)
                {
                    next = SearchAsync(request, ct);
                }
            }
            foreach (SearchResultEntry entry in response.Entries)
            {
                await onEntry(entry);
                count++;
            }
            if (!more)
            {
                return count;
            }
            if (!prefetch)
            {
                next = SearchAsync(request, ct);
            }
        }
    }

    /// <summary>
    /// The DN and the first value of <paramref name="attribute"/> (empty when the entry has none; <see cref="NoAttributes"/>
    /// asks for none) of every entry below <paramref name="baseDn"/> matching <paramref name="filter"/>, page by page, each
    /// entry handed to <paramref name="onEntry"/> as it arrives (<see cref="LibLdapSearch"/>), or through
    /// <see cref="SearchPagedAsync"/> where libldap cannot be called directly. For the reads of ids alone, which every
    /// incremental run makes of every user in scope.
    /// </summary>
    public async Task<int> SearchValuesAsync(string baseDn, string filter, string attribute, LibLdapSearch.EntryHandler onEntry, CancellationToken ct)
    {
        if (LibLdapSearch.TryCreate(_connection) is not { } native)
        {
            var name = attribute.ToLowerInvariant();
            return await SearchPagedAsync(baseDn, filter, [attribute], entry =>
            {
                var value = entry.Attributes[name] is { Count: > 0 } values
                    ? values[0] as byte[] ?? System.Text.Encoding.UTF8.GetBytes(values[0]?.ToString() ?? "")
                    : [];
                onEntry(entry.DistinguishedName, value);
                return Task.CompletedTask;
            }, ct, prefetch: true);
        }
        byte[]? cookie = null;
        var count = 0;
        for (var page = 1; ; page++)
        {
            LibLdapSearch.Page read;
            try
            {
                read = await RunAsync(() => native.ReadPage(baseDn, filter, attribute, _pageSize, cookie, _timeout, onEntry, ct), $"searching '{baseDn}'", ct);
            }
            catch (DirectoryReadException ex)
            {
                throw new DirectoryReadException($"{ex.Message} (page {page})", ex);
            }
            count += read.Entries;
            if (read.Cookie is null)
            {
                return count;
            }
            cookie = read.Cookie;
        }
    }

    public async Task<string?> DefaultNamingContextAsync(CancellationToken ct)
    {
        var rootDse = await ReadEntryAsync("", ["defaultNamingContext"], ct);
        return rootDse is null ? null : LdapUserMapping.First(rootDse, "defaultNamingContext");
    }

    /// <summary>Critical show-deleted control: a server without it refuses the search instead of leaving tombstones out.</summary>
    public Task SearchIncludingDeletedAsync(string baseDn, string filter, string[] attributes, Func<LdapObject, Task> onEntry, CancellationToken ct) =>
        SearchPagedAsync(baseDn, filter, attributes, entry => onEntry(ToObject(entry)), ct, prefetch: true,
            control: new ShowDeletedControl { IsCritical = true });

    public async Task<DirSyncAnswer> DirSyncAsync(string namingContext, string filter, string[] attributes, byte[]? cookie, CancellationToken ct)
    {
        var request = new SearchRequest(namingContext, filter, SearchScope.Subtree, attributes);
        request.Controls.Add(new DirSyncRequestControl(cookie ?? [], DirectorySynchronizationOptions.None) { IsCritical = true });
        SearchResponse response;
        try
        {
            response = await SearchAsync(request, ct);
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or DirectoryReadException))
        {
            throw new DirectoryReadException($"DirSync of '{namingContext}' failed: {LdapDirectorySource.Describe(ex)}", ex);
        }
        var control = response.Controls.OfType<DirSyncResponseControl>().FirstOrDefault()
            ?? throw new DirectoryReadException($"DirSync of '{namingContext}': the server did not answer with a DirSync control.");
        return new DirSyncAnswer([.. response.Entries.Cast<SearchResultEntry>().Select(ToObject)], control.Cookie, control.MoreData);
    }

    private static LdapObject ToObject(SearchResultEntry entry) =>
        new(entry.DistinguishedName, [.. entry.Attributes.Values.Cast<DirectoryAttribute>()]);

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

    private static void OpenConnection(LdapConnection connection)
    {
        try
        {
            connection.SendRequest(new SearchRequest("", "(objectClass=*)", SearchScope.Base, NoAttributes));
        }
        catch (DirectoryOperationException)
        {
            // A server that refuses anonymous reads still answered: the connection is open, which is all this was for.
        }
    }

    private Task<DirectoryResponse> SendAsync(DirectoryRequest request, CancellationToken ct) =>
        RunAsync(() => _connection.SendRequest(request), $"searching '{(request as SearchRequest)?.DistinguishedName}'", ct);

    /// <summary>
    /// A blocking libldap call on its own thread. The caller stops waiting when <paramref name="ct"/> fires or well
    /// after the connection's timeout; the call itself ends with libldap's timeout, and disposal waits for it.
    /// </summary>
    private async Task<T> RunAsync<T>(Func<T> call, string what, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var work = Task.Factory.StartNew(call, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        _inFlight = work;
        try
        {
            return await work.WaitAsync(_timeout + Grace, ct);
        }
        catch (TimeoutException)
        {
            throw new DirectoryReadException($"No answer within {_timeout.TotalSeconds:0} s while {what}.");
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

    /// <summary>Closes the connection, once a call still running in libldap has returned (it holds the handle).</summary>
    public void Dispose()
    {
        if (_inFlight.IsCompleted)
        {
            _connection.Dispose();
            return;
        }
        _ = _inFlight.ContinueWith(_ => _connection.Dispose(), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    }
}

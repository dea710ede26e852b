using System.DirectoryServices.Protocols;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using ScimBridge.Model.Reconcile;

namespace ScimBridge.Sync.Sources.Ldap;

/// <summary>
/// A paged subtree search for one attribute, straight through libldap on the connection System.DirectoryServices.Protocols
/// opened and bound (its handle), handing each entry's DN and the attribute's first value to a callback as the entries
/// arrive.
/// </summary>
/// <remarks>
/// Every incremental LDAP run reads the id of every user in scope (100,000 entries in the dense benchmark), and that read
/// is the longest part of the run. Through <see cref="LdapConnection.SendRequest(DirectoryRequest)"/> a page is handled
/// only once all of it has arrived and been turned into response objects (an entry, an attribute collection and
/// value lists for a single value), while the server waits for the next page's request: the server's work and this
/// process's were added up page after page. Here the messages are taken as they arrive (<c>LDAP_MSG_RECEIVED</c>), so
/// the server sends while this process reads, and an entry costs two libldap calls. Where the library, its symbols or
/// the connection's handle cannot be found (other platforms, another libldap or .NET version), <see cref="TryCreate"/>
/// gives null and the caller searches as before.
/// </remarks>
internal sealed unsafe class LibLdapSearch
{
    private const int ScopeSubtree = 2;
    private const int MessagesReceived = 2;
    private const int SearchEntry = 0x64;
    private const int SearchResult = 0x65;
    private const int OptionResultCode = 0x31;
    private const string PagedResultsOid = "1.2.840.113556.1.4.319";

    /// <summary>libldap's <c>struct berval</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct BerValue
    {
        public nuint Length;
        public byte* Value;
    }

    /// <summary>libldap's <c>struct timeval</c> on LP64.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct TimeValue
    {
        public long Seconds;
        public long Microseconds;
    }

    private sealed class Api
    {
        public delegate* unmanaged<IntPtr, int, BerValue*, int, IntPtr*, int> CreatePageControl;
        public delegate* unmanaged<IntPtr, byte*, int, byte*, byte**, int, IntPtr*, IntPtr*, TimeValue*, int, int*, int> SearchExt;
        public delegate* unmanaged<IntPtr, int, int, TimeValue*, IntPtr*, int> Result;
        public delegate* unmanaged<IntPtr, IntPtr, IntPtr> FirstMessage;
        public delegate* unmanaged<IntPtr, IntPtr, IntPtr> NextMessage;
        public delegate* unmanaged<IntPtr, int> MessageType;
        public delegate* unmanaged<IntPtr, int> MessageFree;
        public delegate* unmanaged<IntPtr, IntPtr, IntPtr> GetDn;
        public delegate* unmanaged<IntPtr, IntPtr, byte*, BerValue**> GetValues;
        public delegate* unmanaged<BerValue**, void> ValuesFree;
        public delegate* unmanaged<IntPtr, void> MemFree;
        public delegate* unmanaged<IntPtr, void> MemVFree;
        public delegate* unmanaged<IntPtr, IntPtr, int*, IntPtr*, IntPtr*, IntPtr*, IntPtr**, int, int> ParseResult;
        public delegate* unmanaged<byte*, IntPtr*, IntPtr**, IntPtr> ControlFind;
        public delegate* unmanaged<IntPtr, IntPtr, int*, BerValue*, int> ParsePageResponse;
        public delegate* unmanaged<IntPtr, void> ControlFree;
        public delegate* unmanaged<IntPtr*, void> ControlsFree;
        public delegate* unmanaged<IntPtr, int, void*, int> GetOption;
        public delegate* unmanaged<int, IntPtr> ErrorText;
        public delegate* unmanaged<IntPtr, int, IntPtr*, IntPtr*, int> AbandonExt;
    }

    private static readonly Lazy<Api?> Library = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    private static readonly FieldInfo? HandleField =
        typeof(LdapConnection).GetField("_ldapHandle", BindingFlags.Instance | BindingFlags.NonPublic);

    private readonly Api _api;
    private readonly SafeHandle _handle;

    private LibLdapSearch(Api api, SafeHandle handle) => (_api, _handle) = (api, handle);

    /// <summary>For tests: within this flow, searches go through the library's response objects as where libldap cannot be reached.</summary>
    internal static readonly AsyncLocal<bool> LibraryResponsesOnly = new();

    /// <summary>A search over <paramref name="connection"/>'s libldap handle, or null where that is not possible.</summary>
    public static LibLdapSearch? TryCreate(LdapConnection connection)
    {
        if (LibraryResponsesOnly.Value || Library.Value is not { } api || HandleField?.GetValue(connection) is not SafeHandle { IsInvalid: false, IsClosed: false } handle)
        {
            return null;
        }
        return new LibLdapSearch(api, handle);
    }

    /// <summary>What one page's call returns: the cookie for the next page (null after the last) and the entries it handed over.</summary>
    public readonly record struct Page(byte[]? Cookie, int Entries);

    /// <summary>
    /// Reads one page: sends the request with <paramref name="cookie"/> (null for the first) and hands every entry to
    /// <paramref name="onEntry"/> (its DN and the first value of <paramref name="attribute"/>, empty when it has none)
    /// as it arrives. Blocks; each wait for the server is bounded by <paramref name="timeout"/>.
    /// </summary>
    public Page ReadPage(
        string baseDn, string filter, string attribute, int pageSize, byte[]? cookie, TimeSpan timeout, EntryHandler onEntry, CancellationToken ct)
    {
        var added = false;
        _handle.DangerousAddRef(ref added);
        try
        {
            var ld = _handle.DangerousGetHandle();
            var messageId = Send(ld, baseDn, filter, attribute, pageSize, cookie);
            var wait = new TimeValue { Seconds = (long)Math.Ceiling(timeout.TotalSeconds) };
            var attributeName = Utf8(attribute);
            var count = 0;
            while (true)
            {
                if (ct.IsCancellationRequested)
                {
                    _ = _api.AbandonExt(ld, messageId, null, null);
                    ct.ThrowIfCancellationRequested();
                }
                IntPtr chain;
                var type = _api.Result(ld, messageId, MessagesReceived, &wait, &chain);
                if (type == 0)
                {
                    _ = _api.AbandonExt(ld, messageId, null, null);
                    throw new DirectoryReadException($"No answer within {timeout.TotalSeconds:0} s while searching '{baseDn}'.");
                }
                if (type < 0)
                {
                    throw new DirectoryReadException($"search of '{baseDn}' failed: {LastError(ld)}");
                }
                try
                {
                    for (var message = _api.FirstMessage(ld, chain); message != IntPtr.Zero; message = _api.NextMessage(ld, message))
                    {
                        switch (_api.MessageType(message))
                        {
                            case SearchEntry:
                                HandleEntry(ld, message, attributeName, onEntry);
                                count++;
                                break;
                            case SearchResult:
                                return new Page(Done(ld, message, baseDn), count);
                        }
                    }
                }
                finally
                {
                    _ = _api.MessageFree(chain);
                }
            }
        }
        finally
        {
            if (added)
            {
                _handle.DangerousRelease();
            }
        }
    }

    /// <summary>Handles one entry's DN and first value; the value's bytes are valid during the call only.</summary>
    public delegate void EntryHandler(string dn, ReadOnlySpan<byte> value);

    private int Send(IntPtr ld, string baseDn, string filter, string attribute, int pageSize, byte[]? cookie)
    {
        IntPtr control;
        fixed (byte* cookieBytes = cookie)
        {
            var value = new BerValue { Length = (nuint)(cookie?.Length ?? 0), Value = cookie is { Length: > 0 } ? cookieBytes : null };
            var created = _api.CreatePageControl(ld, pageSize, &value, 1, &control);
            if (created != 0)
            {
                throw new DirectoryReadException($"search of '{baseDn}' failed: the paged-results control could not be made ({ErrorText(created)})");
            }
        }
        try
        {
            fixed (byte* baseBytes = Utf8(baseDn), filterBytes = Utf8(filter), name = Utf8(attribute))
            {
                var attributes = stackalloc byte*[2];
                attributes[0] = name;
                attributes[1] = null;
                var controls = stackalloc IntPtr[2];
                controls[0] = control;
                controls[1] = IntPtr.Zero;
                int messageId;
                var sent = _api.SearchExt(ld, baseBytes, ScopeSubtree, filterBytes, attributes, 0, controls, null, null, 0, &messageId);
                if (sent != 0)
                {
                    throw new DirectoryReadException($"search of '{baseDn}' failed: {Describe(sent)}");
                }
                return messageId;
            }
        }
        finally
        {
            _api.ControlFree(control);
        }
    }

    private void HandleEntry(IntPtr ld, IntPtr entry, byte[] attribute, EntryHandler onEntry)
    {
        var dnText = _api.GetDn(ld, entry);
        string dn;
        try
        {
            dn = Marshal.PtrToStringUTF8(dnText) ?? "";
        }
        finally
        {
            _api.MemFree(dnText);
        }
        BerValue** values;
        fixed (byte* name = attribute)
        {
            values = _api.GetValues(ld, entry, name);
        }
        if (values == null)
        {
            onEntry(dn, []);
            return;
        }
        try
        {
            var first = values[0];
            onEntry(dn, first == null ? [] : new ReadOnlySpan<byte>(first->Value, checked((int)first->Length)));
        }
        finally
        {
            _api.ValuesFree(values);
        }
    }

    /// <summary>The search's end: a failure throws, as a result other than success is an incomplete answer; else the next page's cookie.</summary>
    private byte[]? Done(IntPtr ld, IntPtr result, string baseDn)
    {
        int code;
        IntPtr matched, message, referrals;
        IntPtr* controls;
        var parsed = _api.ParseResult(ld, result, &code, &matched, &message, &referrals, &controls, 0);
        try
        {
            if (parsed != 0)
            {
                throw new DirectoryReadException($"search of '{baseDn}' failed: {Describe(parsed)}");
            }
            if (code != 0)
            {
                var text = Marshal.PtrToStringUTF8(message);
                throw new DirectoryReadException($"Search of '{baseDn}' ended with {(ResultCode)code}: {(string.IsNullOrEmpty(text) ? ErrorText(code) : text)}");
            }
            IntPtr control;
            fixed (byte* oid = Utf8(PagedResultsOid))
            {
                control = controls == null ? IntPtr.Zero : _api.ControlFind(oid, controls, null);
            }
            if (control == IntPtr.Zero)
            {
                throw new DirectoryReadException($"Search of '{baseDn}': the server did not answer with a paged-results control.");
            }
            int estimate;
            var cookie = default(BerValue);
            if (_api.ParsePageResponse(ld, control, &estimate, &cookie) != 0)
            {
                throw new DirectoryReadException($"Search of '{baseDn}': the server's paged-results control could not be read.");
            }
            try
            {
                return cookie.Length == 0 ? null : new ReadOnlySpan<byte>(cookie.Value, checked((int)cookie.Length)).ToArray();
            }
            finally
            {
                _api.MemFree((IntPtr)cookie.Value);
            }
        }
        finally
        {
            _api.MemFree(matched);
            _api.MemFree(message);
            _api.MemVFree(referrals);
            if (controls != null)
            {
                _api.ControlsFree(controls);
            }
        }
    }

    private string LastError(IntPtr ld)
    {
        int code;
        return _api.GetOption(ld, OptionResultCode, &code) == 0 ? Describe(code) : "unknown libldap error";
    }

    /// <summary>libldap's client-side codes in the words the library's path uses for the same failures (it reports them as 81 and 85).</summary>
    private string Describe(int code) => code switch
    {
        -1 => LdapDirectorySource.ServerUnreachable,
        -5 => LdapDirectorySource.ServerSilent,
        _ => $"LDAP error {code}: {ErrorText(code)}",
    };

    private string ErrorText(int code) => Marshal.PtrToStringUTF8(_api.ErrorText(code)) ?? code.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static byte[] Utf8(string text)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(text) + 1];
        Encoding.UTF8.GetBytes(text, bytes);
        return bytes;
    }

    private static Api? Load()
    {
        if (!OperatingSystem.IsLinux() || HandleField is null || LibLdapReadahead.Library() is not { } library)
        {
            return null;
        }
        IntPtr Export(string name) => NativeLibrary.TryGetExport(library, name, out var address) ? address : IntPtr.Zero;
        var names = new[]
        {
            "ldap_create_page_control", "ldap_search_ext", "ldap_result", "ldap_first_message", "ldap_next_message", "ldap_msgtype",
            "ldap_msgfree", "ldap_get_dn", "ldap_get_values_len", "ldap_value_free_len", "ldap_memfree", "ldap_memvfree",
            "ldap_parse_result", "ldap_control_find", "ldap_parse_pageresponse_control", "ldap_control_free", "ldap_controls_free",
            "ldap_get_option", "ldap_err2string", "ldap_abandon_ext",
        };
        var found = names.Select(Export).ToArray();
        if (found.Any(address => address == IntPtr.Zero))
        {
            return null;
        }
        return new Api
        {
            CreatePageControl = (delegate* unmanaged<IntPtr, int, BerValue*, int, IntPtr*, int>)found[0],
            SearchExt = (delegate* unmanaged<IntPtr, byte*, int, byte*, byte**, int, IntPtr*, IntPtr*, TimeValue*, int, int*, int>)found[1],
            Result = (delegate* unmanaged<IntPtr, int, int, TimeValue*, IntPtr*, int>)found[2],
            FirstMessage = (delegate* unmanaged<IntPtr, IntPtr, IntPtr>)found[3],
            NextMessage = (delegate* unmanaged<IntPtr, IntPtr, IntPtr>)found[4],
            MessageType = (delegate* unmanaged<IntPtr, int>)found[5],
            MessageFree = (delegate* unmanaged<IntPtr, int>)found[6],
            GetDn = (delegate* unmanaged<IntPtr, IntPtr, IntPtr>)found[7],
            GetValues = (delegate* unmanaged<IntPtr, IntPtr, byte*, BerValue**>)found[8],
            ValuesFree = (delegate* unmanaged<BerValue**, void>)found[9],
            MemFree = (delegate* unmanaged<IntPtr, void>)found[10],
            MemVFree = (delegate* unmanaged<IntPtr, void>)found[11],
            ParseResult = (delegate* unmanaged<IntPtr, IntPtr, int*, IntPtr*, IntPtr*, IntPtr*, IntPtr**, int, int>)found[12],
            ControlFind = (delegate* unmanaged<byte*, IntPtr*, IntPtr**, IntPtr>)found[13],
            ParsePageResponse = (delegate* unmanaged<IntPtr, IntPtr, int*, BerValue*, int>)found[14],
            ControlFree = (delegate* unmanaged<IntPtr, void>)found[15],
            ControlsFree = (delegate* unmanaged<IntPtr*, void>)found[16],
            GetOption = (delegate* unmanaged<IntPtr, int, void*, int>)found[17],
            ErrorText = (delegate* unmanaged<int, IntPtr>)found[18],
            AbandonExt = (delegate* unmanaged<IntPtr, int, IntPtr*, IntPtr*, int>)found[19],
        };
    }
}

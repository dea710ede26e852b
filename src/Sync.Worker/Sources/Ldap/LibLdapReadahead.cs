using System.Runtime.InteropServices;

namespace ScimBridge.Sync.Sources.Ldap;

/// <summary>
/// Gives every connection libldap opens (System.DirectoryServices.Protocols on Linux runs on it) a read-ahead buffer.
/// </summary>
/// <remarks>
/// Without one, libldap reads each LDAP message from the socket on its own: a poll and two reads (header, then body)
/// per entry, which made a read of 100,000 ids spend most of its time in system calls. libldap ships the buffer
/// (<c>ber_sockbuf_io_readahead</c>) but pushes it for UDP only; a connection callback (<c>LDAP_OPT_CONNECT_CB</c>,
/// set globally) pushes it onto each TCP connection right after connecting, above the socket and below TLS, so that
/// one read fetches as many messages as have arrived and libldap polls only when the buffer is empty. Nothing else
/// changes: the same library sends the same requests and parses the same answers. Where the library or its symbols
/// cannot be found (other platforms, another libldap) connections stay as they were.
/// </remarks>
internal static unsafe class LibLdapReadahead
{
    /// <summary>The library names System.DirectoryServices.Protocols tries, in its order.</summary>
    private static readonly string[] LibraryNames = ["libldap-2.5.so.0", "libldap-2.6.so.0", "libldap.so.2", "libldap-2.4.so.2"];

    private const int LdapOptConnectCallback = 0x5011;

    /// <summary>Above the socket (LBER_SBIOD_LEVEL_PROVIDER, 10), below TLS (LBER_SBIOD_LEVEL_TRANSPORT, 20).</summary>
    private const int Layer = 11;

    private const int BufferBytes = 64 * 1024;

    private static readonly Lazy<bool> Installed = new(Install, LazyThreadSafetyMode.ExecutionAndPublication);

    private static delegate* unmanaged<IntPtr, IntPtr, int, int*, int> s_addLayer;
    private static IntPtr s_readahead;

    /// <summary>libldap's <c>struct ldap_conncb</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct ConnectCallback
    {
        public delegate* unmanaged<IntPtr, IntPtr, IntPtr, IntPtr, ConnectCallback*, int> Add;
        public delegate* unmanaged<IntPtr, IntPtr, ConnectCallback*, void> Remove;
        public IntPtr Argument;
    }

    private static readonly Lazy<IntPtr?> Loaded = new(() =>
    {
        foreach (var name in LibraryNames)
        {
            if (NativeLibrary.TryLoad(name, out var library))
            {
                return library;
            }
        }
        return null;
    }, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The libldap System.DirectoryServices.Protocols uses (the first of its names found), or null.</summary>
    public static IntPtr? Library() => OperatingSystem.IsLinux() ? Loaded.Value : null;

    /// <summary>Installs the callback once per process, before the first connection; true when it is in place.</summary>
    public static bool EnsureInstalled() => Installed.Value;

    private static bool Install()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }
        if (Library() is not { } library
            || !NativeLibrary.TryGetExport(library, "ldap_set_option", out var setOption)
            || !NativeLibrary.TryGetExport(library, "ber_sockbuf_add_io", out var addLayer)
            || !NativeLibrary.TryGetExport(library, "ber_sockbuf_io_readahead", out s_readahead))
        {
            return false;
        }
        s_addLayer = (delegate* unmanaged<IntPtr, IntPtr, int, int*, int>)addLayer;

        // libldap keeps the pointer for the life of the process.
        var callback = (ConnectCallback*)NativeMemory.AllocZeroed((nuint)sizeof(ConnectCallback));
        callback->Add = &OnConnected;
        callback->Remove = &OnClosed;
        var set = (delegate* unmanaged<IntPtr, int, void*, int>)setOption;
        return set(IntPtr.Zero, LdapOptConnectCallback, callback) == 0;
    }

    /// <summary>Called by libldap on its own thread of the call that connects; must not fail the connection.</summary>
    [UnmanagedCallersOnly]
    private static int OnConnected(IntPtr ld, IntPtr sockbuf, IntPtr url, IntPtr address, ConnectCallback* callback)
    {
        var bytes = BufferBytes;
        _ = s_addLayer(sockbuf, s_readahead, Layer, &bytes);
        return 0;
    }

    /// <summary>libldap removes and frees the layer itself when the connection closes.</summary>
    [UnmanagedCallersOnly]
    private static void OnClosed(IntPtr ld, IntPtr sockbuf, ConnectCallback* callback)
    {
    }
}

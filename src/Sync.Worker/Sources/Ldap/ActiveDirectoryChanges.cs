using System.DirectoryServices.Protocols;

namespace ScimBridge.Sync.Sources.Ldap;

/// <summary>How an LDAP source learns which users left between full runs.</summary>
public enum LdapDepartureDetection
{
    /// <summary>Every incremental run reads the ids alone of every user in scope; any server, catches every way out.</summary>
    ScopeRead,

    /// <summary>
    /// Active Directory: users changed since the cursor anywhere in the domain, deleted ones (tombstones, read with the
    /// show-deleted control) included; a changed user not among the changed users in scope has left. Costs what changed.
    /// </summary>
    DeletedObjects,

    /// <summary>Active Directory: the same, with the changes since the last run from DirSync and its cookie.</summary>
    DirSync,
}

/// <summary>An entry as the Active Directory change reads return it: its DN and the few attributes asked for.</summary>
internal sealed record LdapObject(string DistinguishedName, IReadOnlyList<DirectoryAttribute> Attributes)
{
    public DirectoryAttribute? this[string name] =>
        Attributes.FirstOrDefault(a => string.Equals(a.Name, name, StringComparison.OrdinalIgnoreCase));
}

/// <summary>One DirSync answer: changed entries, the cookie to continue from, and whether more changes wait.</summary>
internal sealed record DirSyncAnswer(IReadOnlyList<LdapObject> Entries, byte[] Cookie, bool MoreData);

/// <summary>
/// What Active Directory offers beyond plain LDAP for departures: the domain's naming context, searches that show deleted
/// objects (control 1.2.840.113556.1.4.417) and DirSync (control 1.2.840.113556.1.4.841). <see cref="LdapSession"/>
/// speaks it to the server; OpenLDAP implements neither control, so tests put a fake in its place.
/// </summary>
internal interface IActiveDirectoryConnection
{
    /// <summary>The root DSE's <c>defaultNamingContext</c>: the domain's DN.</summary>
    Task<string?> DefaultNamingContextAsync(CancellationToken ct);

    /// <summary>Paged subtree search that returns deleted objects (tombstones, <c>isDeleted=TRUE</c>) beside live ones.</summary>
    Task SearchIncludingDeletedAsync(string baseDn, string filter, string[] attributes, Func<LdapObject, Task> onEntry, CancellationToken ct);

    /// <summary>One DirSync round at the root of a naming context: the entries changed since <paramref name="cookie"/> (null: all).</summary>
    Task<DirSyncAnswer> DirSyncAsync(string namingContext, string filter, string[] attributes, byte[]? cookie, CancellationToken ct);
}

using System.DirectoryServices.Protocols;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using ScimBridge.Model.Reconcile;
using ScimBridge.Sync.Sources;
using ScimBridge.Sync.Sources.Ldap;

namespace ScimBridge.Sync.Tests.Ldap;

/// <summary>
/// What Active Directory answers to the show-deleted search and to DirSync, in place of the server (OpenLDAP has
/// neither): a log of user changes the test declares (changed, moved, deleted). The show-deleted search returns every
/// declared change, as a search by <c>uSNChanged</c> since an earlier cursor may; DirSync returns the changes after its
/// cookie, <see cref="DirSyncRoundSize"/> per round, and without a cookie every user it was told exists.
/// </summary>
internal sealed class FakeActiveDirectory : IActiveDirectoryConnection
{
    public const string Domain = "dc=example,dc=org";
    private readonly List<(string Key, string Dn, bool Deleted)> _changes = [];
    private readonly List<(string Key, string Dn)> _existing = [];

    public int DirSyncRoundSize { get; init; } = 2;

    /// <summary>When set, DirSync fails with this reason, as AD refuses an account without the right to replicate changes.</summary>
    public string? Refusal { get; init; }

    /// <summary>Every request: <c>deleted BASE FILTER ATTRIBUTES</c> or <c>dirsync BASE FILTER COOKIE</c>.</summary>
    public List<string> Requests { get; } = [];

    /// <summary>Users present from the start (what DirSync sends without a cookie).</summary>
    public void Exists(string key, string dn) => _existing.Add((key, dn));

    public void Changed(string key, string dn) => _changes.Add((key, dn, false));

    public void Deleted(string key, string dn) =>
        _changes.Add((key, $"{dn[..dn.IndexOf(',', StringComparison.Ordinal)]}\\0ADEL:{key},CN=Deleted Objects,{Domain}", true));

    public Task<string?> DefaultNamingContextAsync(CancellationToken ct) => Task.FromResult<string?>(Domain);

    public async Task SearchIncludingDeletedAsync(string baseDn, string filter, string[] attributes, Func<LdapObject, Task> onEntry, CancellationToken ct)
    {
        Requests.Add($"deleted {baseDn} {filter} {string.Join(',', attributes)}");
        foreach (var change in _changes)
        {
            await onEntry(Entry(change.Key, change.Dn, change.Deleted));
        }
    }

    public Task<DirSyncAnswer> DirSyncAsync(string namingContext, string filter, string[] attributes, byte[]? cookie, CancellationToken ct)
    {
        Requests.Add($"dirsync {namingContext} {filter} {(cookie is null ? "-" : Convert.ToBase64String(cookie))}");
        if (Refusal is not null)
        {
            throw new DirectoryReadException($"DirSync of '{namingContext}' failed: {Refusal}");
        }
        // The cookie is a position: "all:N" through the existing users, then "log:N" through the change log.
        var (part, position) = cookie is null ? ("all", 0) : ParseCookie(cookie);
        var source = part == "all"
            ? _existing.Select(e => (e.Key, e.Dn, Deleted: false)).ToList()
            : _changes;
        var round = source.Skip(position).Take(DirSyncRoundSize).ToList();
        var next = position + round.Count;
        var more = next < source.Count;
        var nextCookie = part == "all" && !more ? Cookie("log", _changes.Count) : Cookie(part, next);
        return Task.FromResult(new DirSyncAnswer([.. round.Select(c => Entry(c.Key, c.Dn, c.Deleted))], nextCookie, more));
    }

    private static byte[] Cookie(string part, int position) => System.Text.Encoding.ASCII.GetBytes($"{part}:{position}");

    private static (string Part, int Position) ParseCookie(byte[] cookie)
    {
        var text = System.Text.Encoding.ASCII.GetString(cookie).Split(':');
        return (text[0], int.Parse(text[1], System.Globalization.CultureInfo.InvariantCulture));
    }

    private static LdapObject Entry(string key, string dn, bool deleted) =>
        new(dn, deleted ? [new DirectoryAttribute("entryUUID", key), new DirectoryAttribute("isDeleted", "TRUE")] : [new DirectoryAttribute("entryUUID", key)]);
}

/// <summary>
/// Sources of <c>"Type": "FakeAd"</c>: the LDAP source on slapd for everything plain LDAP does, with
/// <see cref="FakeActiveDirectory"/> answering what only Active Directory offers.
/// </summary>
internal sealed class FakeActiveDirectorySourceFactory(FakeActiveDirectory activeDirectory) : IDirectorySourceFactory
{
    public string Type => "FakeAd";

    public IReadOnlyList<string> Validate(SyncSourceOptions options, IConfigurationSection section) =>
        LdapSourceSettings.Validate(LdapSourceFactory.Bind(options, section));

    public IDirectorySource Create(SyncSourceOptions options, IConfigurationSection section) =>
        new LdapDirectorySource(LdapSourceFactory.Bind(options, section), NullLogger<LdapDirectorySource>.Instance, TimeProvider.System, _ => activeDirectory);
}

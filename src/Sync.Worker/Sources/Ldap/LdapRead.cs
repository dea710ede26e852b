using System.DirectoryServices.Protocols;
using Microsoft.Extensions.Logging;
using ScimBridge.Model.Reconcile;

namespace ScimBridge.Sync.Sources.Ldap;

/// <summary>
/// One read over a bound session: users (with disabled detection), then groups with their members resolved from DNs
/// to user and group keys. Without a cursor the read is full; with one it returns only entries changed since, and
/// is never full (an incremental read cannot see deletions).
/// </summary>
internal sealed class LdapRead
{
    private readonly LdapSession _session;
    private readonly LdapSourceSettings _settings;
    private readonly LdapAttributes _attributes;
    private readonly LdapUserMapping _mapping;
    private readonly ILogger _logger;
    private readonly string? _markerAttribute;
    private readonly Dictionary<string, string> _userKeysByDn = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _groupKeysByDn = new(StringComparer.Ordinal);
    private string? _latestMarker;

    private readonly ActiveDirectoryChangeFeed _changes;

    public LdapRead(LdapSession session, IActiveDirectoryConnection activeDirectory, LdapSourceSettings settings, ILogger logger)
    {
        _session = session;
        _settings = settings;
        _logger = logger;
        _attributes = settings.Attributes.Resolve(settings.ServerKind);
        _markerAttribute = settings.EffectiveIncrementalAttribute;
        _mapping = new LdapUserMapping(_attributes, _markerAttribute);
        _changes = new ActiveDirectoryChangeFeed(activeDirectory, settings, _mapping);
    }

    public async Task<DirectorySnapshot> ReadAsync(LdapCursor? since, CancellationToken ct)
    {
        var changedOnly = since?.FilterClause(TimeSpan.FromSeconds(_settings.IncrementalOverlapSeconds));
        var startMarker = _markerAttribute is not null && LdapCursor.KindOf(_markerAttribute) == LdapCursorKind.Usn
            ? await HighestCommittedUsnAsync(ct)
            : null;

        // Active Directory's own change reads come before the changed users in scope: a user changed in between is in
        // both reads, never taken for gone.
        var (changedAnywhere, dirSyncCookie) = await ReadChangedAnywhereAsync(since, changedOnly, ct);
        var disabled = await ReadDisabledDnsAsync(changedOnly, ct);
        var users = await ReadUsersAsync(changedOnly, disabled, ct);

        // Changed entries cannot show deletions or moves out of scope: unless AD's change reads tell, every incremental
        // read also takes the complete set of user ids in scope (ids alone, about a second for 100,000 users), after the
        // changed users, so a user added in between is at worst unknown, never taken for gone.
        var inScope = since is null || changedAnywhere is not null ? null : await ReadUserKeysInScopeAsync(ct);
        var (deleted, leftScope) = Departures(changedAnywhere, users);
        var groups = await ReadGroupsAsync(changedOnly, ct);
        if (since is not null && groups.Any(g => g.OtherDns.Any(dn => !IsKnown(dn))))
        {
            // Members of a changed group may be nested groups that did not change themselves: learn their keys by DN.
            await IndexKeysAsync(_settings.EffectiveGroupBaseDns, _settings.EffectiveGroupFilter, _groupKeysByDn, keys: null, ct);
        }

        var resolved = new List<SourceGroup>(groups.Count);
        foreach (var group in groups)
        {
            resolved.Add(Resolve(group));
            group.OtherDns.Clear();
        }
        var next = NextCursor(since, startMarker);
        if (next is not null && dirSyncCookie is not null)
        {
            next = next with { DirSyncCookie = dirSyncCookie };
        }
        return new DirectorySnapshot
        {
            IsFull = since is null,
            Users = users,
            Groups = resolved,
            UserKeysInScope = inScope,
            RemovedUserKeys = deleted,
            UserKeysLeftScope = leftScope,
            NextDeltaState = next?.Serialize(),
        };
    }

    /// <summary>
    /// Active Directory with <see cref="LdapDepartureDetection.DeletedObjects"/> or <see cref="LdapDepartureDetection.DirSync"/>:
    /// the users changed anywhere in the domain since the last run, deleted ones included (null for a full read, or
    /// when departures come from the read of every id in scope), and the DirSync cookie the next run continues from.
    /// </summary>
    private async Task<(List<ChangedUser>? Changed, byte[]? DirSyncCookie)> ReadChangedAnywhereAsync(
        LdapCursor? since, string? changedOnly, CancellationToken ct)
    {
        switch (_settings.Departures)
        {
            case LdapDepartureDetection.DirSync:
                var (changed, cookie) = await _changes.DirSyncAsync(since?.DirSyncCookie, keep: since is not null, ct);
                return (since is null ? null : changed, cookie);
            case LdapDepartureDetection.DeletedObjects when changedOnly is not null:
                return (await _changes.ChangedSinceAsync(changedOnly, ct), null);
            default:
                return (null, null);
        }
    }

    /// <summary>Changed users the read of changed users in scope did not return: deleted (tombstones), or out of scope now.</summary>
    private (List<string> Deleted, List<string> LeftScope) Departures(List<ChangedUser>? changedAnywhere, List<SourceUser> users)
    {
        if (changedAnywhere is null)
        {
            return ([], []);
        }
        var stayed = users.Select(u => u.Key).ToHashSet(StringComparer.Ordinal);
        var gone = changedAnywhere.Where(c => !stayed.Contains(c.Key)).DistinctBy(c => c.Key).ToList();
        _logger.LogDebug("LDAP source {Source}: {Changed} users changed in the domain, {Deleted} deleted and {Left} out of scope",
            _settings.Name, changedAnywhere.Count, gone.Count(c => c.Deleted), gone.Count(c => !c.Deleted));
        return ([.. gone.Where(c => c.Deleted).Select(c => c.Key)], [.. gone.Where(c => !c.Deleted).Select(c => c.Key)]);
    }

    private async Task<HashSet<string>> ReadUserKeysInScopeAsync(CancellationToken ct)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        await IndexKeysAsync(_settings.EffectiveUserBaseDns, _settings.EffectiveUserFilter, _userKeysByDn, keys, ct);
        return keys;
    }

    private async Task<HashSet<string>> ReadDisabledDnsAsync(string? changedOnly, CancellationToken ct)
    {
        var disabled = new HashSet<string>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(_settings.DisabledFilter))
        {
            return disabled;
        }
        var filter = And(_settings.EffectiveUserFilter, _settings.DisabledFilter, changedOnly);
        foreach (var baseDn in _settings.EffectiveUserBaseDns)
        {
            await _session.SearchPagedAsync(baseDn, filter, [LdapSession.NoAttributes], entry =>
            {
                disabled.Add(DistinguishedName.Normalize(entry.DistinguishedName));
                return Task.CompletedTask;
            }, ct, prefetch: true);
        }
        return disabled;
    }

    private async Task<List<SourceUser>> ReadUsersAsync(string? changedOnly, HashSet<string> disabled, CancellationToken ct)
    {
        var users = new Dictionary<string, SourceUser>(StringComparer.Ordinal);
        var filter = And(_settings.EffectiveUserFilter, changedOnly);
        foreach (var baseDn in _settings.EffectiveUserBaseDns)
        {
            await _session.SearchPagedAsync(baseDn, filter, _mapping.UserAttributes, entry =>
            {
                var dn = DistinguishedName.Normalize(entry.DistinguishedName);
                var user = _mapping.ToSourceUser(entry, disabled.Contains(dn));
                users[user.Key] = user;
                _userKeysByDn[dn] = user.Key;
                Observe(entry);
                return Task.CompletedTask;
            }, ct, prefetch: true);
        }
        return users.Values.ToList();
    }

    /// <summary>
    /// Groups are the heavy entries (a dense directory sends over a million member values), so they come in pages of
    /// at most <see cref="GroupPageSize"/>: one page's values are in memory at a time, and the next page is on its way
    /// while this one is handled. Member DNs of users are turned into keys as they arrive; the rest (nested groups,
    /// members out of scope) wait for the end of the read. Ranged members are fetched after the search.
    /// </summary>
    private async Task<List<GroupEntry>> ReadGroupsAsync(string? changedOnly, CancellationToken ct)
    {
        var groups = new Dictionary<string, GroupEntry>(StringComparer.Ordinal);
        var ranged = new List<(GroupEntry Group, List<LdapValues> Values)>();
        var filter = And(_settings.EffectiveGroupFilter, changedOnly);
        foreach (var baseDn in _settings.EffectiveGroupBaseDns)
        {
            await _session.SearchPagedAsync(baseDn, filter, _mapping.GroupAttributes, entry =>
            {
                var key = _mapping.KeyOf(entry);
                var group = new GroupEntry(key, _mapping.GroupNameOf(entry), entry.DistinguishedName);
                var values = LdapUserMapping.ValuesOf(entry, _attributes.Member);
                if (RangedAttributeReader.IsRanged(values, _attributes.Member))
                {
                    ranged.Add((group, values));
                }
                else
                {
                    foreach (var plain in values)
                    {
                        AddMembers(group, plain.Values);
                    }
                }
                groups[key] = group;
                _groupKeysByDn[DistinguishedName.Normalize(entry.DistinguishedName)] = key;
                Observe(entry);
                return Task.CompletedTask;
            }, ct, prefetch: true, pageSize: Math.Min(_settings.PageSize, GroupPageSize));
        }

        foreach (var (group, values) in ranged)
        {
            var members = await RangedAttributeReader.ReadAllAsync(
                group.Dn, _attributes.Member, values, (range, token) => ReadRangeAsync(group.Dn, range, token), ct);
            AddMembers(group, members);
        }
        return groups.Values.ToList();
    }

    /// <summary>Groups per page of the group search.</summary>
    private const int GroupPageSize = 100;

    private void AddMembers(GroupEntry group, IEnumerable<string> memberDns)
    {
        foreach (var memberDn in memberDns)
        {
            var dn = DistinguishedName.Normalize(memberDn);
            if (_userKeysByDn.TryGetValue(dn, out var userKey))
            {
                group.UserKeys.Add(userKey);
            }
            else
            {
                group.OtherDns.Add(dn);
            }
        }
    }

    private async Task<IReadOnlyList<LdapValues>> ReadRangeAsync(string dn, string range, CancellationToken ct)
    {
        var entry = await _session.ReadEntryAsync(dn, [range], ct)
            ?? throw new DirectoryReadException($"Group '{dn}' disappeared while its members were read.");
        return LdapUserMapping.ValuesOf(entry, _attributes.Member);
    }

    /// <summary>Reads the stable id (alone) of every entry under the bases matching the filter, indexed by DN.</summary>
    private async Task IndexKeysAsync(
        IReadOnlyList<string> bases, string filter, Dictionary<string, string> index, HashSet<string>? keys, CancellationToken ct)
    {
        foreach (var baseDn in bases)
        {
            await _session.SearchPagedAsync(baseDn, filter, _mapping.IdOnly, entry =>
            {
                var key = _mapping.KeyOf(entry);
                index[DistinguishedName.Normalize(entry.DistinguishedName)] = key;
                keys?.Add(key);
                return Task.CompletedTask;
            }, ct, prefetch: true);
        }
    }

    private bool IsKnown(string memberDn)
    {
        var dn = DistinguishedName.Normalize(memberDn);
        return _userKeysByDn.ContainsKey(dn) || _groupKeysByDn.ContainsKey(dn);
    }

    private SourceGroup Resolve(GroupEntry group)
    {
        var userKeys = group.UserKeys;
        var groupKeys = new List<string>();
        var outOfScope = 0;
        foreach (var dn in group.OtherDns)
        {
            if (_userKeysByDn.TryGetValue(dn, out var userKey))
            {
                userKeys.Add(userKey);
            }
            else if (_groupKeysByDn.TryGetValue(dn, out var groupKey))
            {
                groupKeys.Add(groupKey);
            }
            else
            {
                outOfScope++;
            }
        }
        if (outOfScope > 0)
        {
            // Members outside the user and group bases or filters (service accounts, foreign principals) are not synced.
            _logger.LogDebug("LDAP group {GroupDn}: {OutOfScope} members outside the configured scope left out", group.Dn, outOfScope);
        }
        return new SourceGroup(group.Key, group.Name)
        {
            DistinguishedName = group.Dn,
            MemberUserKeys = userKeys.Distinct(StringComparer.Ordinal).ToList(),
            MemberGroupKeys = groupKeys.Where(k => k != group.Key).Distinct(StringComparer.Ordinal).ToList(),
        };
    }

    private void Observe(SearchResultEntry entry)
    {
        if (_markerAttribute is not null)
        {
            _latestMarker = LdapCursor.Later(_markerAttribute, _latestMarker,
                LdapCursor.Normalize(_markerAttribute, LdapUserMapping.First(entry, _markerAttribute)));
        }
    }

    /// <summary>
    /// Where the next incremental read starts. Update sequence numbers use the server's highest committed USN from
    /// before this read (changes made while reading are then read again); timestamps use the latest one seen and
    /// look back by the configured overlap.
    /// </summary>
    private LdapCursor? NextCursor(LdapCursor? since, string? startMarker)
    {
        if (_markerAttribute is null)
        {
            return null;
        }
        var value = startMarker is not null
            ? (long.Parse(startMarker, System.Globalization.CultureInfo.InvariantCulture) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)
            : _latestMarker;
        value = LdapCursor.Later(_markerAttribute, since?.Value, value);
        return value is null ? null : new LdapCursor(_markerAttribute, LdapCursor.ScopeOf(_settings), value);
    }

    private async Task<string?> HighestCommittedUsnAsync(CancellationToken ct)
    {
        var rootDse = await _session.ReadEntryAsync("", ["highestCommittedUSN"], ct);
        return rootDse is null ? null : LdapCursor.Normalize("uSNChanged", LdapUserMapping.First(rootDse, "highestCommittedUSN"));
    }

    private static string And(params string?[] filters)
    {
        var parts = filters.Where(f => !string.IsNullOrWhiteSpace(f)).Select(f => f!.Trim()).ToList();
        return parts.Count == 1 ? parts[0] : $"(&{string.Concat(parts)})";
    }

    /// <summary>A group as read: members already known as users by key, every other member by normalized DN.</summary>
    private sealed record GroupEntry(string Key, string Name, string Dn)
    {
        public List<string> UserKeys { get; } = [];
        public List<string> OtherDns { get; } = [];
    }
}

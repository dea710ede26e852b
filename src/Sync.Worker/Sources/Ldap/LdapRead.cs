using System.DirectoryServices.Protocols;
using System.Text;
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
    private readonly Func<CancellationToken, Task<LdapSession>> _openSession;
    private readonly Lock _markerLock = new();

    /// <summary>The marker attribute in lower case, for looking it up in entries (see <see cref="LdapUserMapping"/>).</summary>
    private readonly string? _markerName;
    private string? _latestMarker;

    private readonly ActiveDirectoryChangeFeed _changes;

    /// <param name="openSession">Opens another bound connection, for the reads an incremental run makes side by side.</param>
    public LdapRead(
        LdapSession session, Func<CancellationToken, Task<LdapSession>> openSession, IActiveDirectoryConnection activeDirectory,
        LdapSourceSettings settings, ILogger logger)
    {
        _session = session;
        _openSession = openSession;
        _settings = settings;
        _logger = logger;
        _attributes = settings.Attributes.Resolve(settings.ServerKind);
        _markerAttribute = settings.EffectiveIncrementalAttribute;
        _markerName = _markerAttribute?.ToLowerInvariant();
        _mapping = new LdapUserMapping(_attributes, _markerAttribute);
        _changes = new ActiveDirectoryChangeFeed(activeDirectory, settings, _mapping);
    }

    public async Task<DirectorySnapshot> ReadAsync(LdapCursor? since, DirectoryReadProgress progress, CancellationToken ct)
    {
        var changedOnly = since?.FilterClause(TimeSpan.FromSeconds(_settings.IncrementalOverlapSeconds));
        var startMarker = _markerAttribute is not null && LdapCursor.KindOf(_markerAttribute) == LdapCursorKind.Usn
            ? await HighestCommittedUsnAsync(ct)
            : null;

        var userIndex = new DnIndex();
        var groupIndex = new DnIndex();
        UserRead read;
        List<GroupEntry> groups;
        HashSet<string>? inScope = null;
        if (since is null)
        {
            // Users first, so that the groups' member values become keys as they arrive; the group search starts at
            // the same time on a second connection, and its first pages wait (with the next one prefetched) until
            // every user is known.
            using var failure = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var token = failure.Token;
            var usersRead = ReadUsersAsync(since, changedOnly, token);
            var known = IndexedAsync(usersRead, userIndex);
            var groupsRead = ReadGroupsOnOwnSessionAsync(changedOnly, known, groupIndex, token);
            await AllAsync(failure, usersRead, groupsRead);
            read = await usersRead;
            groups = await groupsRead;
        }
        else
        {
            // The changed users, the id of every user in scope and the changed groups are independent reads: each on
            // a connection of its own, so the server answers one while this process handles another. Changed entries
            // cannot show deletions or moves out of scope: unless AD's change reads tell, every incremental read also
            // takes the complete set of user ids in scope (ids alone, about a second for 100,000 users). A user added
            // meanwhile is at worst unknown to it; a user the changed-users read returned counts as seen either way.
            using var failure = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var token = failure.Token;
            var usersRead = ReadUsersAsync(since, changedOnly, token);
            var groupsRead = ReadGroupsOnOwnSessionAsync(changedOnly, NotYet, groupIndex, token, indexEveryGroup: true);
            if (progress.GroupsRead is { } told)
            {
                // The changed groups usually arrive long before every id: the run reads their stored members meanwhile.
                _ = groupsRead.ContinueWith(static (read, state) =>
                {
                    var keys = new HashSet<string>(read.Result.Count, StringComparer.Ordinal);
                    foreach (var group in read.Result)
                    {
                        keys.Add(group.Key);
                    }
                    ((Action<IReadOnlyCollection<string>>)state!)(keys);
                }, told, CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion | TaskContinuationOptions.ExecuteSynchronously,
                    TaskScheduler.Default);
            }
            var scopeRead = _settings.Departures == LdapDepartureDetection.ScopeRead
                ? OnOwnSessionAsync(session => ReadUserIdsInScopeAsync(session, groupsRead, userIndex, token), token)
                : Task.FromResult<(HashSet<string> Keys, List<(string Dn, string Key)> NotIndexed)?>(null);
            if (_logger.IsEnabled(LogLevel.Debug))
            {
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                foreach (var (part, task) in new (string, Task)[] { ("changed users", usersRead), ("ids in scope", scopeRead), ("changed groups", groupsRead) })
                {
                    _ = task.ContinueWith(_ => _logger.LogDebug("LDAP source {Source}: {Part} read after {ElapsedMs} ms", _settings.Name, part,
                        (long)System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds), TaskScheduler.Default);
                }
            }
            await AllAsync(failure, usersRead, scopeRead, groupsRead);
            read = await usersRead;
            groups = await groupsRead;
            var scope = await scopeRead;
            inScope = scope?.Keys;
            if (groups.Count > 0)
            {
                if (scope is { } ids)
                {
                    AddAll(userIndex, ids.NotIndexed);
                }
                AddAll(userIndex, read.Dns);
                if (scope is null && groups.Any(g => HasUnknownMember(g, userIndex, groupIndex)))
                {
                    // Without the read of ids in scope, members of a changed group may be users that did not change:
                    // learn their keys by DN.
                    await IndexKeysAsync(_session, _settings.EffectiveUserBaseDns, _settings.EffectiveUserFilter, userIndex, ct);
                }
            }
        }

        var members = new MemberResolver(userIndex, groupIndex);
        var resolved = new List<SourceGroup>(groups.Count);
        foreach (var group in groups)
        {
            resolved.Add(Resolve(group, members));
        }
        var next = NextCursor(since, startMarker);
        if (next is not null && read.DirSyncCookie is not null)
        {
            next = next with { DirSyncCookie = read.DirSyncCookie };
        }
        return new DirectorySnapshot
        {
            IsFull = since is null,
            Users = read.Users,
            Groups = resolved,
            UserKeysInScope = inScope,
            RemovedUserKeys = read.Deleted,
            UserKeysLeftScope = read.LeftScope,
            NextDeltaState = next?.Serialize(),
        };
    }

    /// <summary>What the users' part of a read found: users, their DNs with keys, departures AD reported, DirSync's cookie.</summary>
    private sealed record UserRead(
        List<SourceUser> Users, List<(string Dn, string Key)> Dns, List<string> Deleted, List<string> LeftScope, byte[]? DirSyncCookie);

    /// <summary>
    /// The users' part on the read's first connection: Active Directory's own change reads come before the changed
    /// users in scope, so that a user changed in between is in both reads, never taken for gone.
    /// </summary>
    private async Task<UserRead> ReadUsersAsync(LdapCursor? since, string? changedOnly, CancellationToken ct)
    {
        var (changedAnywhere, dirSyncCookie) = await ReadChangedAnywhereAsync(since, changedOnly, ct);
        var disabled = await ReadDisabledDnsAsync(changedOnly, ct);
        var (users, dns) = await ReadUserEntriesAsync(changedOnly, disabled, ct);
        var (deleted, leftScope) = Departures(changedAnywhere, users);
        return new UserRead(users, dns, deleted, leftScope, dirSyncCookie);
    }

    /// <summary>A read on a connection of its own, closed when the read ends.</summary>
    private async Task<T> OnOwnSessionAsync<T>(Func<LdapSession, Task<T>> read, CancellationToken ct)
    {
        using var session = await _openSession(ct);
        return await read(session);
    }

    /// <summary>
    /// The groups' search on a connection of its own; none without group bases (no memberships are read then). With
    /// <paramref name="indexEveryGroup"/> (an incremental read), once any group has changed the same connection goes on
    /// to learn every group's key by DN, while the other reads still run: a changed group's members may be nested groups
    /// that did not change themselves.
    /// </summary>
    private Task<List<GroupEntry>> ReadGroupsOnOwnSessionAsync(
        string? changedOnly, Task<DnIndex?> usersKnown, DnIndex groupIndex, CancellationToken ct, bool indexEveryGroup = false) =>
        _settings.EffectiveGroupBaseDns.Count == 0
            ? Task.FromResult(new List<GroupEntry>())
            : OnOwnSessionAsync(async session =>
            {
                var groups = await ReadGroupsAsync(session, changedOnly, usersKnown, groupIndex, ct);
                if (indexEveryGroup && groups.Count > 0)
                {
                    await IndexKeysAsync(session, _settings.EffectiveGroupBaseDns, _settings.EffectiveGroupFilter, groupIndex, ct);
                }
                return groups;
            }, ct);

    /// <summary>Waits for every read; the first that fails stops the others (they are cancelled) and fails the whole.</summary>
    private static async Task AllAsync(CancellationTokenSource failure, params Task[] reads)
    {
        foreach (var read in reads)
        {
            _ = read.ContinueWith(static (done, state) =>
            {
                if (done.IsFaulted)
                {
                    try
                    {
                        ((CancellationTokenSource)state!).Cancel();
                    }
                    catch (ObjectDisposedException)
                    {
                        // The read as a whole has ended already.
                    }
                }
            }, failure, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
        await Task.WhenAll(reads);
    }

    /// <summary>For a read whose groups wait for nothing: every member value is matched at the end.</summary>
    private static readonly Task<DnIndex?> NotYet = Task.FromResult<DnIndex?>(null);

    private static async Task<DnIndex?> IndexedAsync(Task<UserRead> usersRead, DnIndex index)
    {
        AddAll(index, (await usersRead).Dns);
        return index;
    }

    private static void AddAll(DnIndex index, List<(string Dn, string Key)> entries)
    {
        index.EnsureCapacity(index.Keys.Count + entries.Count);
        foreach (var (dn, key) in entries)
        {
            index.Add(dn, key);
        }
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

    /// <summary>
    /// The id of every user in scope, and each with its DN for the member values of changed groups. Once
    /// <paramref name="groupsRead"/> has found changed groups, entries go into <paramref name="userIndex"/> as they
    /// arrive (while the server sends the next page) rather than after every read has ended; the rest are returned.
    /// </summary>
    private async Task<(HashSet<string> Keys, List<(string Dn, string Key)> NotIndexed)?> ReadUserIdsInScopeAsync(
        LdapSession session, Task<List<GroupEntry>> groupsRead, DnIndex userIndex, CancellationToken ct)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        var notIndexed = new List<(string Dn, string Key)>();
        var indexing = false;
        foreach (var baseDn in _settings.EffectiveUserBaseDns)
        {
            await session.SearchValuesAsync(baseDn, _settings.EffectiveUserFilter, _attributes.Id, (dn, value) =>
            {
                var key = _mapping.KeyOf(dn, value);
                keys.Add(key);
                if (!indexing && groupsRead is { IsCompletedSuccessfully: true, Result.Count: > 0 })
                {
                    indexing = true;
                    AddAll(userIndex, notIndexed);
                    notIndexed.Clear();
                }
                if (indexing)
                {
                    userIndex.Add(dn, key);
                }
                else
                {
                    notIndexed.Add((dn, key));
                }
            }, ct);
        }
        return (keys, notIndexed);
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
            await _session.SearchValuesAsync(baseDn, filter, LdapSession.NoAttributes, (dn, _) => disabled.Add(DistinguishedName.Normalize(dn)), ct);
        }
        return disabled;
    }

    private async Task<(List<SourceUser> Users, List<(string Dn, string Key)> Dns)> ReadUserEntriesAsync(
        string? changedOnly, HashSet<string> disabled, CancellationToken ct)
    {
        var users = new Dictionary<string, SourceUser>(StringComparer.Ordinal);
        var dns = new List<(string Dn, string Key)>();
        var filter = And(_settings.EffectiveUserFilter, changedOnly);
        foreach (var baseDn in _settings.EffectiveUserBaseDns)
        {
            await _session.SearchPagedAsync(baseDn, filter, _mapping.UserAttributes, entry =>
            {
                var dn = entry.DistinguishedName;
                var user = _mapping.ToSourceUser(entry, disabled.Count > 0 && disabled.Contains(DistinguishedName.Normalize(dn)));
                users[user.Key] = user;
                dns.Add((dn, user.Key));
                Observe(entry);
                return Task.CompletedTask;
            }, ct, prefetch: true);
        }
        return (users.Values.ToList(), dns);
    }

    /// <summary>
    /// Groups are the heavy entries (a dense directory sends over a million member values), so they come in pages of
    /// at most <see cref="GroupPageSize"/>: one page's values are in memory at a time, and the next page is on its way
    /// while this one is handled. When <paramref name="usersKnown"/> gives the users (a full read), the first group
    /// waits for them and member values naming users become ordinals as they arrive; the rest (nested groups, members
    /// out of scope, and every value of an incremental read) wait as the server sent them. Ranged members are fetched
    /// after the search.
    /// </summary>
    private async Task<List<GroupEntry>> ReadGroupsAsync(
        LdapSession session, string? changedOnly, Task<DnIndex?> usersKnown, DnIndex groupIndex, CancellationToken ct)
    {
        var groups = new Dictionary<string, GroupEntry>(StringComparer.Ordinal);
        var ranged = new List<(GroupEntry Group, List<LdapValues> Values)>();
        var filter = And(_settings.EffectiveGroupFilter, changedOnly);
        DnIndex? users = null;
        int[]? seen = null;
        var stamp = 0;
        foreach (var baseDn in _settings.EffectiveGroupBaseDns)
        {
            await session.SearchPagedAsync(baseDn, filter, _mapping.GroupAttributes, async entry =>
            {
                if (seen is null && await usersKnown is { } known)
                {
                    (users, seen) = (known, new int[known.Keys.Count]);
                }
                var key = _mapping.KeyOf(entry);
                var group = new GroupEntry(key, _mapping.GroupNameOf(entry), entry.DistinguishedName);
                if (_mapping.PlainMemberValues(entry) is { } plain)
                {
                    stamp++;
                    foreach (var values in plain)
                    {
                        AddMembers(group, values, users, seen, stamp);
                    }
                }
                else
                {
                    ranged.Add((group, LdapUserMapping.ValuesOf(entry, _attributes.Member)));
                }
                groups[key] = group;
                groupIndex.Add(entry.DistinguishedName, key);
                Observe(entry);
            }, ct, prefetch: true, pageSize: Math.Min(_settings.PageSize, GroupPageSize));
        }

        foreach (var (group, values) in ranged)
        {
            var members = await RangedAttributeReader.ReadAllAsync(
                group.Dn, _attributes.Member, values, (range, token) => ReadRangeAsync(session, group.Dn, range, token), ct);
            group.Pending.AddRange(members.Select(member => Encoding.UTF8.GetBytes(member)));
        }
        return groups.Values.ToList();
    }

    /// <summary>Groups per page of the group search.</summary>
    private const int GroupPageSize = 100;

    private static void AddMembers(GroupEntry group, byte[][] values, DnIndex? users, int[]? seen, int stamp)
    {
        if (users is null || seen is null)
        {
            group.Pending.AddRange(values);
            return;
        }
        Span<char> buffer = stackalloc char[DnIndex.StackLimit];
        foreach (var value in values)
        {
            if (users.TryFind(DnIndex.Decode(value, buffer), out var ordinal) && ordinal < seen.Length)
            {
                if (seen[ordinal] != stamp)
                {
                    seen[ordinal] = stamp;
                    group.UserOrdinals.Add(ordinal);
                }
            }
            else
            {
                group.Pending.Add(value);
            }
        }
    }

    private async Task<IReadOnlyList<LdapValues>> ReadRangeAsync(LdapSession session, string dn, string range, CancellationToken ct)
    {
        var entry = await session.ReadEntryAsync(dn, [range], ct)
            ?? throw new DirectoryReadException($"Group '{dn}' disappeared while its members were read.");
        return LdapUserMapping.ValuesOf(entry, _attributes.Member);
    }

    /// <summary>Reads the stable id (alone) of every entry under the bases matching the filter, indexed by DN.</summary>
    private async Task IndexKeysAsync(LdapSession session, IReadOnlyList<string> bases, string filter, DnIndex index, CancellationToken ct)
    {
        foreach (var baseDn in bases)
        {
            await session.SearchValuesAsync(baseDn, filter, _attributes.Id, (dn, value) => index.Add(dn, _mapping.KeyOf(dn, value)), ct);
        }
    }

    private static bool HasUnknownMember(GroupEntry group, DnIndex users, DnIndex groups)
    {
        Span<char> buffer = stackalloc char[DnIndex.StackLimit];
        foreach (var value in group.Pending)
        {
            var dn = DnIndex.Decode(value, buffer);
            if (!users.TryFind(dn, out _) && !groups.TryFind(dn, out _))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Turns member values into keys, each user and group once per group (ordinals stamped per group).</summary>
    private sealed class MemberResolver(DnIndex users, DnIndex groups)
    {
        private int[] _seenUsers = new int[users.Keys.Count];
        private int[] _seenGroups = new int[groups.Keys.Count];
        private int _stamp;

        public DnIndex Users => users;
        public DnIndex Groups => groups;

        /// <summary>Starts a group; ordinals added before (as the group arrived) count as seen.</summary>
        public void Begin(List<int> userOrdinals)
        {
            _stamp++;
            Grow(ref _seenUsers, users.Keys.Count);
            Grow(ref _seenGroups, groups.Keys.Count);
            foreach (var ordinal in userOrdinals)
            {
                _seenUsers[ordinal] = _stamp;
            }
        }

        public bool FirstTimeUser(int ordinal) => First(_seenUsers, ordinal);

        public bool FirstTimeGroup(int ordinal) => First(_seenGroups, ordinal);

        private bool First(int[] seen, int ordinal)
        {
            if (seen[ordinal] == _stamp)
            {
                return false;
            }
            seen[ordinal] = _stamp;
            return true;
        }

        private static void Grow(ref int[] seen, int count)
        {
            if (seen.Length < count)
            {
                Array.Resize(ref seen, count);
            }
        }
    }

    private SourceGroup Resolve(GroupEntry group, MemberResolver members)
    {
        var userKeys = new List<string>(group.UserOrdinals.Count + group.Pending.Count);
        foreach (var ordinal in group.UserOrdinals)
        {
            userKeys.Add(members.Users.Keys[ordinal]);
        }
        var groupKeys = new List<string>();
        var outOfScope = 0;
        if (group.Pending.Count > 0)
        {
            members.Begin(group.UserOrdinals);
            Span<char> buffer = stackalloc char[DnIndex.StackLimit];
            foreach (var value in group.Pending)
            {
                var dn = DnIndex.Decode(value, buffer);
                if (members.Users.TryFind(dn, out var user))
                {
                    if (members.FirstTimeUser(user))
                    {
                        userKeys.Add(members.Users.Keys[user]);
                    }
                }
                else if (members.Groups.TryFind(dn, out var nested))
                {
                    var key = members.Groups.Keys[nested];
                    if (members.FirstTimeGroup(nested) && key != group.Key)
                    {
                        groupKeys.Add(key);
                    }
                }
                else
                {
                    outOfScope++;
                }
            }
        }
        if (outOfScope > 0 && _logger.IsEnabled(LogLevel.Debug))
        {
            // Members outside the user and group bases or filters (service accounts, foreign principals) are not synced.
            _logger.LogDebug("LDAP group {GroupDn}: {OutOfScope} members outside the configured scope left out", group.Dn, outOfScope);
        }
        return new SourceGroup(group.Key, group.Name)
        {
            DistinguishedName = group.Dn,
            MemberUserKeys = userKeys,
            MemberGroupKeys = groupKeys,
        };
    }

    /// <summary>Notes an entry's change marker; the reads of an incremental run call it at the same time.</summary>
    private void Observe(SearchResultEntry entry)
    {
        if (_markerAttribute is not null)
        {
            var marker = LdapCursor.Normalize(_markerAttribute, LdapUserMapping.First(entry, _markerName));
            lock (_markerLock)
            {
                _latestMarker = LdapCursor.Later(_markerAttribute, _latestMarker, marker);
            }
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
    /// <summary>A group as read: members already known as users by ordinal, every other member value as the server sent it.</summary>
    private sealed record GroupEntry(string Key, string Name, string Dn)
    {
        public List<int> UserOrdinals { get; } = [];
        public List<byte[]> Pending { get; } = [];
    }
}

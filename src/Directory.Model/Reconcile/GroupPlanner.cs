namespace ScimBridge.Model.Reconcile;

/// <summary>
/// The group half of <see cref="ReconcilePlanner"/>: creates, renames, restores and deletions of the source's groups and
/// their member changes. Complete member lists replace the stored ones; delta lists add and remove only what they name.
/// Members the source names but the directory does not know (out of the source's user scope) are left out, and users
/// that left the source lose every membership of the source's groups. Member changes name users by userName and groups
/// by display name, for the diff.
/// </summary>
internal sealed class GroupPlanner(
    DirectorySnapshot snapshot, ReconcileState state, ReconcilePlan plan, UserIds userIds, StoredIndex index, HashSet<Guid> departed)
{
    // The names this run gives (taken at the first member change that needs a name), over the stored ones.
    private Dictionary<Guid, string>? _names;
    private readonly HashSet<(Guid Group, Guid Member)> _removing = [];
    private readonly Dictionary<string, Guid> _groupIds = new(StringComparer.Ordinal);
    private readonly Dictionary<Guid, HashSet<Guid>> _members = [];
    private readonly HashSet<Guid> _groups = [];

    public void Plan()
    {
        var current = new Dictionary<string, ManagedGroup>(StringComparer.Ordinal);
        foreach (var group in state.Groups)
        {
            current.TryAdd(group.SourceKey, group);
            _groupIds.TryAdd(group.SourceKey, group.Id);
            _groups.Add(group.Id);
        }
        // Each group's set sized once: a group of 50,000 grown from empty spends more on resizing than on adding. The
        // loader hands each group's members one after another, so both passes look a group up once per run of them.
        var members = state.Members;
        var sizes = new Dictionary<Guid, int>();
        for (var start = 0; start < members.Count;)
        {
            var end = RunEnd(members, start);
            sizes[members[start].GroupId] = sizes.GetValueOrDefault(members[start].GroupId) + end - start;
            start = end;
        }
        foreach (var (groupId, size) in sizes)
        {
            _members[groupId] = new HashSet<Guid>(size);
        }
        for (var start = 0; start < members.Count;)
        {
            var end = RunEnd(members, start);
            var set = _members[members[start].GroupId];
            for (var i = start; i < end; i++)
            {
                set.Add(members[i].MemberId);
                if (members[i].IsGroup)
                {
                    _groups.Add(members[i].MemberId);
                }
            }
            start = end;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var incoming = new List<(SourceGroup Group, Guid Id)>();
        foreach (var group in snapshot.Groups)
        {
            if (!seen.Add(group.Key))
            {
                plan.Errors.Add($"group key {group.Key} appears twice in the read; the second entry was ignored");
                continue;
            }
            if (string.IsNullOrWhiteSpace(group.DisplayName))
            {
                plan.Errors.Add($"group [{group.Key}] skipped: it has no name");
                continue;
            }
            incoming.Add((group, PlanGroup(group, current.GetValueOrDefault(group.Key))));
        }

        var removed = snapshot.IsFull
            ? state.Groups.Where(g => !seen.Contains(g.SourceKey))
            : snapshot.RemovedGroupKeys.Where(k => !seen.Contains(k) && current.ContainsKey(k)).Distinct(StringComparer.Ordinal).Select(k => current[k]);
        foreach (var group in removed.Where(g => !g.Deleted))
        {
            plan.GroupDeletions.Add(new GroupDeletion(group.Id, group.SourceKey, group.DisplayName));
        }

        if (members.Count == 0)
        {
            // Nothing stored yet (a first sync): every member read is added. Sized once, the list holds a dense directory's
            // million additions in one array, not in one twice as large after growing through its halves.
            var count = plan.MemberAdds.Count;
            foreach (var (group, _) in incoming)
            {
                count += group.MemberUserKeys.Count + group.MemberGroupKeys.Count + group.AddedMemberKeys.Count;
            }
            plan.MemberAdds.EnsureCapacity(count);
        }

        // Members after groups, so nested groups created in this run can be named.
        if (!snapshot.IsFull && members.Count >= ParallelFrom && incoming.Count > 1 && Environment.ProcessorCount > 1)
        {
            PlanMembersSideBySide(incoming);
        }
        else
        {
            foreach (var (group, id) in incoming)
            {
                PlanMembers(group, id, plan.MemberAdds, plan.MemberRemoves);
            }
        }
        RemoveDeparted();
    }

    /// <summary>Stored member rows from which an incremental run compares its changed groups on more than one core.</summary>
    private const int ParallelFrom = 50_000;

    /// <summary>
    /// The member differences of the groups an incremental read returned whole (a dense directory's changed groups hold
    /// a quarter of a million stored members), a group per task, on every core: each group's comparison reads only
    /// what the run has settled already. The changes go into the plan in the groups' order, as one after the other would.
    /// </summary>
    private void PlanMembersSideBySide(List<(SourceGroup Group, Guid Id)> incoming)
    {
        // What the comparisons read is complete before they start: the names, and a set for every group.
        _names ??= NamesGiven();
        _ = index.Names;
        foreach (var (_, id) in incoming)
        {
            MembersOf(id);
        }
        var changes = new (List<MemberChange> Adds, List<MemberChange> Removes)[incoming.Count];
        Parallel.For(0, incoming.Count, i =>
        {
            var (adds, removes) = (new List<MemberChange>(), new List<MemberChange>());
            PlanMembers(incoming[i].Group, incoming[i].Id, adds, removes);
            changes[i] = (adds, removes);
        });
        foreach (var (adds, removes) in changes)
        {
            plan.MemberAdds.AddRange(adds);
            foreach (var remove in removes)
            {
                if (_removing.Add((remove.GroupId, remove.MemberId)))
                {
                    plan.MemberRemoves.Add(remove);
                }
            }
        }
    }

    /// <summary>Where the run of members of the group of <paramref name="members"/>[<paramref name="start"/>] ends.</summary>
    private static int RunEnd(IReadOnlyList<ManagedMember> members, int start)
    {
        var end = start + 1;
        while (end < members.Count && members[end].GroupId == members[start].GroupId)
        {
            end++;
        }
        return end;
    }

    /// <summary>Users that left keep no membership, even in groups the read did not report changed.</summary>
    private void RemoveDeparted()
    {
        if (departed.Count == 0)
        {
            return;
        }
        foreach (var (groupId, members) in _members)
        {
            string? groupName = null;
            foreach (var member in members)
            {
                if (departed.Contains(member) && _removing.Add((groupId, member)))
                {
                    groupName ??= NameOf(groupId) ?? "";
                    plan.MemberRemoves.Add(new MemberChange(groupId, groupName, member, false, NameOf(member)));
                }
            }
        }
    }

    private Dictionary<Guid, string> NamesGiven()
    {
        var names = new Dictionary<Guid, string>(plan.Updates.Count + plan.Creates.Count + plan.GroupUpdates.Count + plan.GroupCreates.Count);
        foreach (var update in plan.Updates)
        {
            names[update.Id] = update.After.UserName;
        }
        foreach (var create in plan.Creates)
        {
            names[create.Id] = create.Profile.UserName;
        }
        foreach (var group in plan.GroupUpdates)
        {
            names[group.Id] = group.DisplayName;
        }
        foreach (var group in plan.GroupCreates)
        {
            names[group.Id] = group.DisplayName;
        }
        return names;
    }

    private string? NameOf(Guid id) =>
        (_names ??= NamesGiven()).TryGetValue(id, out var name) ? name : index.Names.GetValueOrDefault(id);

    private Guid PlanGroup(SourceGroup group, ManagedGroup? existing)
    {
        if (existing is null)
        {
            var id = EntityIds.New();
            _groupIds[group.Key] = id;
            _groups.Add(id);
            plan.GroupCreates.Add(new GroupCreate(id, group.Key, group.DisplayName, group.DistinguishedName));
            return id;
        }

        var renamed = existing.DisplayName != group.DisplayName
            || (group.DistinguishedName is not null && existing.DistinguishedName != group.DistinguishedName);
        if (renamed || existing.Deleted)
        {
            plan.GroupUpdates.Add(new GroupUpdate(existing.Id, group.Key, existing.DisplayName, group.DisplayName,
                group.DistinguishedName ?? existing.DistinguishedName, existing.Deleted));
        }
        return existing.Id;
    }

    /// <summary>
    /// The member changes of one group into <paramref name="adds"/> and <paramref name="removes"/>. Removals are checked
    /// against those planned already only when they go straight into the plan (see <see cref="PlanMembersSideBySide"/>).
    /// </summary>
    private void PlanMembers(SourceGroup group, Guid groupId, List<MemberChange> adds, List<MemberChange> removes)
    {
        var stored = MembersOf(groupId);
        if (group.MembersAreComplete)
        {
            var wanted = new HashSet<Guid>(group.MemberUserKeys.Count + group.MemberGroupKeys.Count);
            foreach (var key in group.MemberUserKeys)
            {
                if (userIds.TryGetValue(key, out var id) && !departed.Contains(id))
                {
                    wanted.Add(id);
                }
            }
            foreach (var key in group.MemberGroupKeys)
            {
                if (_groupIds.TryGetValue(key, out var id) && id != groupId)
                {
                    wanted.Add(id);
                }
            }
            foreach (var id in wanted)
            {
                if (!stored.Contains(id))
                {
                    adds.Add(Change(group, groupId, id));
                }
            }
            foreach (var id in stored)
            {
                if (!wanted.Contains(id))
                {
                    Remove(group, groupId, id, removes);
                }
            }
            return;
        }

        foreach (var id in Resolve(group.AddedMemberKeys, groupId).Where(id => !stored.Contains(id) && !departed.Contains(id)))
        {
            adds.Add(Change(group, groupId, id));
        }
        foreach (var id in Resolve(group.RemovedMemberKeys, groupId).Where(stored.Contains))
        {
            Remove(group, groupId, id, removes);
        }
    }

    private void Remove(SourceGroup group, Guid groupId, Guid memberId, List<MemberChange> removes)
    {
        if (removes != plan.MemberRemoves)
        {
            removes.Add(Change(group, groupId, memberId));
        }
        else if (_removing.Add((groupId, memberId)))
        {
            removes.Add(Change(group, groupId, memberId));
        }
    }

    /// <summary>Delta member keys may name users or groups; users are looked up first.</summary>
    private IEnumerable<Guid> Resolve(IReadOnlyList<string> keys, Guid groupId) =>
        keys.Select(k => userIds.TryGetValue(k, out var user) ? user : _groupIds.TryGetValue(k, out var g) && g != groupId ? g : Guid.Empty)
            .Where(id => id != Guid.Empty)
            .Distinct();

    private MemberChange Change(SourceGroup group, Guid groupId, Guid memberId) =>
        new(groupId, group.DisplayName, memberId, IsGroupMember(memberId), NameOf(memberId));

    private bool IsGroupMember(Guid id) => _groups.Contains(id);

    private HashSet<Guid> MembersOf(Guid groupId)
    {
        if (!_members.TryGetValue(groupId, out var set))
        {
            set = [];
            _members[groupId] = set;
        }
        return set;
    }
}

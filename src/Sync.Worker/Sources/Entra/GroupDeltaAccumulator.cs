using ScimBridge.Model.Reconcile;

namespace ScimBridge.Sync.Sources.Entra;

/// <summary>
/// Collects group delta entries across pages. Graph repeats a large group on several pages, each with part of its
/// <c>members@delta</c>: entries are merged by group id, and a later change to the same member wins.
/// </summary>
internal sealed class GroupDeltaAccumulator
{
    private readonly Dictionary<string, Entry> _groups = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _order = [];
    private readonly HashSet<string> _removedGroups = new(StringComparer.OrdinalIgnoreCase);

    public void AddRemovedGroup(string id)
    {
        _removedGroups.Add(id);
        if (_groups.Remove(id))
        {
            _order.Remove(id);
        }
    }

    public void AddChangedGroup(string id, string? displayName, IEnumerable<EntraMemberChange> memberChanges)
    {
        _removedGroups.Remove(id);
        if (!_groups.TryGetValue(id, out var entry))
        {
            entry = new Entry();
            _groups.Add(id, entry);
            _order.Add(id);
        }
        if (!string.IsNullOrEmpty(displayName))
        {
            entry.DisplayName = displayName;
        }
        foreach (var change in memberChanges)
        {
            if (change.Kind == EntraMemberKind.Other)
            {
                continue;
            }
            if (change.Removed)
            {
                entry.Added.Remove(change.Id);
                entry.Removed.Add(change.Id);
            }
            else
            {
                entry.Removed.Remove(change.Id);
                entry.Added.Add(change.Id);
            }
        }
    }

    public IReadOnlyList<string> RemovedGroupKeys => [.. _removedGroups];

    /// <summary>
    /// Changed groups with member additions/removals. Graph sends displayName with every changed group; should it be
    /// missing, DisplayName is empty and must not be taken as a rename.
    /// </summary>
    public IReadOnlyList<SourceGroup> ChangedGroups() =>
        _order.Select(id => new SourceGroup(id, _groups[id].DisplayName ?? "")
        {
            MembersAreComplete = false,
            AddedMemberKeys = [.. _groups[id].Added],
            RemovedMemberKeys = [.. _groups[id].Removed],
        }).ToList();

    private sealed class Entry
    {
        public string? DisplayName { get; set; }

        // Ordered sets keep the output stable for callers and tests.
        public OrderedSet Added { get; } = new();
        public OrderedSet Removed { get; } = new();
    }

    private sealed class OrderedSet : IEnumerable<string>
    {
        private readonly List<string> _items = [];
        private readonly HashSet<string> _index = new(StringComparer.OrdinalIgnoreCase);

        public void Add(string id)
        {
            if (_index.Add(id))
            {
                _items.Add(id);
            }
        }

        public void Remove(string id)
        {
            if (_index.Remove(id))
            {
                _items.RemoveAll(i => string.Equals(i, id, StringComparison.OrdinalIgnoreCase));
            }
        }

        public IEnumerator<string> GetEnumerator() => _items.GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}

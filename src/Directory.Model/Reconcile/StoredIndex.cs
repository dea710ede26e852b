using ScimBridge.Model.Users;

namespace ScimBridge.Model.Reconcile;

/// <summary>
/// Lookups over a source's stored users and groups that do not depend on what the source returned: the users by source
/// key, the normalized userNames they hold, and every user's and group's name by id. A run builds them while it reads
/// the source (<see cref="ReconcileStateLoader.ReadStoredAsync"/>); otherwise each is built when the planner first needs it.
/// </summary>
internal sealed class StoredIndex(List<ManagedUser> users, IReadOnlyList<ManagedGroup> groups)
{
    private Dictionary<string, ManagedUser>? _byKey;
    private Dictionary<string, string>? _owners;
    private Dictionary<Guid, string>? _names;

    public IReadOnlyList<ManagedUser> Users => users;

    /// <summary>The users by source key; of two users with one key, the first.</summary>
    public Dictionary<string, ManagedUser> ByKey
    {
        get
        {
            if (_byKey is null)
            {
                _byKey = new Dictionary<string, ManagedUser>(users.Count, StringComparer.Ordinal);
                foreach (var user in users)
                {
                    _byKey.TryAdd(user.SourceKey, user);
                }
            }
            return _byKey;
        }
    }

    /// <summary>Normalized userName → source key of the first user holding it.</summary>
    public Dictionary<string, string> Owners
    {
        get
        {
            if (_owners is null)
            {
                _owners = new Dictionary<string, string>(users.Count, StringComparer.Ordinal);
                foreach (var user in users)
                {
                    _owners.TryAdd(User.Normalize(user.UserName), user.SourceKey);
                }
            }
            return _owners;
        }
    }

    /// <summary>The userName of every user and the display name of every group, by id.</summary>
    public Dictionary<Guid, string> Names
    {
        get
        {
            if (_names is null)
            {
                _names = new Dictionary<Guid, string>(users.Count + groups.Count);
                foreach (var user in users)
                {
                    _names[user.Id] = user.UserName;
                }
                foreach (var group in groups)
                {
                    _names[group.Id] = group.DisplayName;
                }
            }
            return _names;
        }
    }

    /// <summary>Builds every lookup now.</summary>
    public void Build() => _ = (ByKey, Owners, Names);

    /// <summary>Puts <paramref name="user"/> in the place of the <paramref name="index"/>th user (the same user with more read).</summary>
    public void Replace(int index, ManagedUser user)
    {
        var before = users[index];
        users[index] = user;
        if (_byKey is not null && _byKey.TryGetValue(user.SourceKey, out var first) && ReferenceEquals(first, before))
        {
            _byKey[user.SourceKey] = user;
        }
    }
}

/// <summary>
/// Normalized userName → source key as a run goes: the stored holders (<see cref="StoredIndex.Owners"/>, read only when
/// a new or renamed user first needs them) under the names the run gives.
/// </summary>
internal sealed class NameOwners(StoredIndex index)
{
    private readonly Dictionary<string, string> _given = new(StringComparer.Ordinal);

    public bool TryGetValue(string name, out string owner) =>
        _given.TryGetValue(name, out owner!) || index.Owners.TryGetValue(name, out owner!);

    public void Give(string name, string key) => _given[name] = key;
}

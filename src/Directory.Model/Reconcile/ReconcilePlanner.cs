using ScimBridge.Model.Provisioning;
using ScimBridge.Model.Users;

namespace ScimBridge.Model.Reconcile;

/// <summary>
/// Pure: compares what a source returned with what the directory holds for that source and lists the changes. Users
/// are matched by the source's stable key, so renames and e-mail changes are updates. Only a full read deactivates by
/// absence; a delta deactivates what it reports removed or disabled, and users missing from the complete list of keys in
/// scope when it carries one. Users that left lose their memberships in the same run. Users of other sources are never planned.
/// </summary>
public static class ReconcilePlanner
{
    public static ReconcilePlan Plan(string source, DirectorySnapshot snapshot, ReconcileState state)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(state);
        var plan = new ReconcilePlan
        {
            Source = source,
            IsFull = snapshot.IsFull,
            UsersRead = snapshot.Users.Count,
            ManagedActiveUsers = state.Users.Count(u => u.Active && !u.Deleted),
            UsersInScope = snapshot.IsFull ? null : snapshot.UserKeysInScope?.Count,
        };
        var (userIds, index, departed) = PlanUsers(source, snapshot, state, plan);
        new GroupPlanner(snapshot, state, plan, userIds, index, departed).Plan();
        return plan;
    }

    /// <summary>Plans user changes; returns source key → user id for every user that will exist after the run, and the users that left.</summary>
    private static (UserIds Ids, StoredIndex Index, HashSet<Guid> Departed) PlanUsers(string source, DirectorySnapshot snapshot, ReconcileState state, ReconcilePlan plan)
    {
        var lookup = state.LookupFor(snapshot);
        var index = lookup?.Index ?? new StoredIndex([.. state.Users], state.Groups);
        var current = index.ByKey;
        var created = new Dictionary<string, Guid>(StringComparer.Ordinal);

        // Final userName of each source key, so that two users swapping names are not reported as a collision.
        var incomingNames = new Dictionary<string, string>(snapshot.Users.Count, StringComparer.Ordinal);
        foreach (var user in snapshot.Users)
        {
            incomingNames.TryAdd(user.Key, User.Normalize(user.Profile.UserName));
        }
        // Normalized userName → source key; the stored names are normalized only when a new or renamed user first
        // needs them (an incremental run of unchanged users skips every stored name), unless the run did so already.
        var owners = new NameOwners(index);

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var incoming in snapshot.Users)
        {
            if (!seen.Add(incoming.Key))
            {
                plan.Errors.Add($"user key {incoming.Key} appears twice in the read; the second entry was ignored");
                continue;
            }

            current.TryGetValue(incoming.Key, out var existing);
            if (existing is { Deleted: true })
            {
                continue; // deleted by an admin: kept out of sync until restored
            }

            var problem = Problem(incoming, existing, state, owners, incomingNames, current);
            if (problem is not null)
            {
                plan.Errors.Add(problem);
                if (existing is null)
                {
                    continue;
                }
            }

            var fingerprint = state.FingerprintOf(incoming);
            if (existing is null)
            {
                var id = EntityIds.New();
                created[incoming.Key] = id;
                owners.Give(User.Normalize(incoming.Profile.UserName), incoming.Key);
                plan.Creates.Add(new UserCreate(id, incoming.Key, incoming.Profile with { Active = incoming.Enabled }, incoming.Enabled, fingerprint));
                continue;
            }

            var desired = incoming.Profile with { Active = existing.Active };
            var changed = existing.Profile is null ? existing.Fingerprint != fingerprint : !existing.Profile.SameAs(desired);
            if (problem is null && changed)
            {
                owners.Give(User.Normalize(desired.UserName), incoming.Key);
                plan.Updates.Add(new UserUpdate(existing.Id, existing.SourceKey, existing.Profile, desired, fingerprint));
            }
            if (!incoming.Enabled && existing.Active)
            {
                plan.Deactivations.Add(new UserDeactivation(existing.Id, existing.SourceKey, desired.UserName, DeactivationReason.DisabledInSource));
            }
            else if (incoming.Enabled && !existing.Active && existing.DeactivatedBy == source)
            {
                plan.Reactivations.Add(new UserReactivation(existing.Id, existing.SourceKey, desired.UserName));
            }
        }

        var departed = lookup?.Departed ?? Departed(snapshot, state.Users, seen, current);
        foreach (var (user, reason) in departed)
        {
            if (user.Active && !user.Deleted)
            {
                plan.Deactivations.Add(new UserDeactivation(user.Id, user.SourceKey, user.UserName, reason));
            }
        }
        return (new UserIds(current, created), index, departed.Select(d => d.User.Id).ToHashSet());
    }

    /// <summary>
    /// Managed users that have left the source, active or not: absent from a full read, reported removed by a delta, or
    /// missing from the complete list of keys in scope an incremental read took. They keep their ids (a delta may still
    /// name them as removed members) and lose every membership of the source's groups in this run. <paramref name="seen"/>
    /// holds the keys of the users read, <paramref name="current"/> the <paramref name="users"/> by key (see <see cref="StoredIndex.ByKey"/>).
    /// </summary>
    internal static List<(ManagedUser User, DeactivationReason Reason)> Departed(
        DirectorySnapshot snapshot, IReadOnlyList<ManagedUser> users, HashSet<string> seen, Dictionary<string, ManagedUser> current)
    {
        if (snapshot.IsFull)
        {
            return [.. users.Where(u => !seen.Contains(u.SourceKey)).Select(u => (u, DeactivationReason.AbsentFromFullRead))];
        }

        var departed = new List<(ManagedUser, DeactivationReason)>();
        var named = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in snapshot.RemovedUserKeys)
        {
            if (!seen.Contains(key) && current.TryGetValue(key, out var user) && named.Add(key))
            {
                departed.Add((user, DeactivationReason.RemovedFromSource));
            }
        }
        foreach (var key in snapshot.UserKeysLeftScope)
        {
            if (!seen.Contains(key) && current.TryGetValue(key, out var user) && named.Add(key))
            {
                departed.Add((user, DeactivationReason.LeftScope));
            }
        }
        if (snapshot.UserKeysInScope is { } inScope)
        {
            foreach (var user in users)
            {
                if (!seen.Contains(user.SourceKey) && !inScope.Contains(user.SourceKey) && named.Add(user.SourceKey))
                {
                    departed.Add((user, DeactivationReason.LeftScope));
                }
            }
        }
        return departed;
    }

    /// <summary>Why the incoming user cannot be applied (invalid values, a userName held by someone else), or null.</summary>
    private static string? Problem(
        SourceUser incoming, ManagedUser? existing, ReconcileState state, NameOwners owners,
        Dictionary<string, string> incomingNames, Dictionary<string, ManagedUser> current)
    {
        try
        {
            UserProvisioning.Validate(incoming.Profile);
        }
        catch (InvalidValueException ex)
        {
            return $"user {incoming.Profile.UserName} [{incoming.Key}] skipped: {ex.Message}";
        }

        var name = User.Normalize(incoming.Profile.UserName);
        if (existing is not null && User.Normalize(existing.UserName) == name)
        {
            return null;
        }
        if (state.OtherUserNames.TryGetValue(name, out var managedBy))
        {
            return $"user {incoming.Profile.UserName} [{incoming.Key}] skipped: userName is already taken by a user managed by '{managedBy}'";
        }
        if (owners.TryGetValue(name, out var owner) && owner != incoming.Key)
        {
            // The holder keeps the name unless it is itself renamed away in this read.
            var holderFinal = incomingNames.TryGetValue(owner, out var renamed) ? renamed
                : current.TryGetValue(owner, out var holder) ? User.Normalize(holder.UserName) : name;
            if (holderFinal == name)
            {
                return $"user {incoming.Profile.UserName} [{incoming.Key}] skipped: userName is already taken by another user of this source [{owner}]";
            }
        }
        return null;
    }
}

/// <summary>Source key → id of every user that will exist after a run: the stored users and those the plan creates.</summary>
internal sealed class UserIds(Dictionary<string, ManagedUser> stored, Dictionary<string, Guid> created)
{
    public bool TryGetValue(string key, out Guid id)
    {
        if (stored.TryGetValue(key, out var user))
        {
            id = user.Id;
            return true;
        }
        return created.TryGetValue(key, out id);
    }
}

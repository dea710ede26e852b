using Microsoft.EntityFrameworkCore;
using ScimBridge.Model.Mapping;
using ScimBridge.Model.Persistence;
using ScimBridge.Model.Teams;

namespace ScimBridge.Model.Reconcile;

/// <summary>The team and role changes a run would cause, and the userNames to print them with.</summary>
public sealed record MappingPreview(MembershipPlan Plan, IReadOnlyDictionary<Guid, string> UserNames);

/// <summary>
/// For a dry run: what the mapping file would change once a <see cref="ReconcilePlan"/> were applied, without writing.
/// The organization's mapping inputs are read as stored, the plan's users, groups and members are laid over them in
/// memory, and the engine plans the users the applier would recompute (those the run touches, directly or through
/// their groups).
/// </summary>
public static class ReconcileMappingPreview
{
    public static async Task<MappingPreview> PlanAsync(ScimBridgeDbContext db, Guid organizationId, MappingFile file, ReconcilePlan plan, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(plan);
        var stored = await MappingInputsLoader.LoadAsync(db, organizationId, null, ct);
        var (inputs, touched) = Overlay(stored, plan);
        if (file.CreateMissingTeams)
        {
            foreach (var name in MappingEngine.MissingTeams(file, inputs.Teams))
            {
                inputs.Teams[Team.Normalize(name)] = new TeamInfo(EntityIds.New(), name, Exists: false, Deleted: false);
            }
        }

        var all = MappingEngine.Plan(file, inputs);
        var result = new MembershipPlan(organizationId, file);
        result.Users.AddRange(all.Users.Where(u => touched.Contains(u.UserId)));
        result.TeamsToCreate.AddRange(all.TeamsToCreate);

        var names = plan.Creates.ToDictionary(c => c.Id, c => c.Profile.UserName);
        var missing = result.Users.Select(u => u.UserId).Where(id => !names.ContainsKey(id)).ToList();
        foreach (var chunk in missing.Chunk(1000))
        {
            foreach (var user in await db.Users.AsNoTracking().IgnoreAutoIncludes().Where(u => chunk.Contains(u.Id))
                         .Select(u => new { u.Id, u.UserName }).ToListAsync(ct))
            {
                names[user.Id] = user.UserName;
            }
        }
        foreach (var update in plan.Updates)
        {
            names[update.Id] = update.After.UserName;
        }
        return new MappingPreview(result, names);
    }

    /// <summary>The stored inputs with the plan applied, and the users whose memberships the applier would recompute.</summary>
    internal static (MappingInputs Inputs, HashSet<Guid> Touched) Overlay(MappingInputs stored, ReconcilePlan plan)
    {
        var groups = stored.Groups.ToList();
        var deleted = stored.GroupDeleted.ToList();
        var parents = stored.GroupParents.Select(p => p.ToList()).ToList();
        var groupIndex = new Dictionary<Guid, int>(groups.Count);
        for (var i = 0; i < groups.Count; i++)
        {
            groupIndex[groups[i].Id] = i;
        }
        foreach (var create in plan.GroupCreates)
        {
            groupIndex[create.Id] = groups.Count;
            groups.Add(new GroupIdentity(create.Id, create.DisplayName, create.SourceKey, create.DistinguishedName));
            deleted.Add(false);
            parents.Add([]);
        }
        foreach (var update in plan.GroupUpdates)
        {
            if (groupIndex.TryGetValue(update.Id, out var g))
            {
                groups[g] = groups[g] with { DisplayName = update.DisplayName, DistinguishedName = update.DistinguishedName };
                deleted[g] = false;
            }
        }
        foreach (var deletion in plan.GroupDeletions)
        {
            if (groupIndex.TryGetValue(deletion.Id, out var g))
            {
                deleted[g] = true;
            }
        }

        var users = stored.Users.ToList();
        var userGroups = stored.UserGroups.Select(g => g.ToList()).ToList();
        var mapped = stored.MappedMemberships.ToList();
        var manual = stored.ManualTeams.ToList();
        var userIndex = new Dictionary<Guid, int>(users.Count);
        for (var i = 0; i < users.Count; i++)
        {
            userIndex[users[i].Id] = i;
        }
        foreach (var create in plan.Creates)
        {
            userIndex[create.Id] = users.Count;
            users.Add(new MappedUser(create.Id, create.Enabled, false, false, true, null, false, null));
            userGroups.Add([]);
            mapped.Add(null);
            manual.Add(null);
        }
        foreach (var deactivation in plan.Deactivations)
        {
            SetActive(deactivation.Id, false);
        }
        foreach (var reactivation in plan.Reactivations)
        {
            SetActive(reactivation.Id, true);
        }

        var changedGroups = new HashSet<int>();
        var touched = plan.Creates.Select(c => c.Id).Concat(plan.Deactivations.Select(d => d.Id)).Concat(plan.Reactivations.Select(r => r.Id)).ToHashSet();
        foreach (var (change, added) in plan.MemberAdds.Select(m => (m, true)).Concat(plan.MemberRemoves.Select(m => (m, false))))
        {
            if (!groupIndex.TryGetValue(change.GroupId, out var parent))
            {
                continue;
            }
            if (change.IsGroup)
            {
                if (groupIndex.TryGetValue(change.MemberId, out var child))
                {
                    Edit(parents[child], parent, added);
                    changedGroups.Add(child);
                }
            }
            else if (userIndex.TryGetValue(change.MemberId, out var u))
            {
                Edit(userGroups[u], parent, added);
                touched.Add(change.MemberId);
            }
        }
        foreach (var id in plan.GroupUpdates.Select(g => g.Id).Concat(plan.GroupDeletions.Select(g => g.Id)))
        {
            if (groupIndex.TryGetValue(id, out var g))
            {
                changedGroups.Add(g);
            }
        }

        // Users below a changed group, directly or through nesting, are recomputed too.
        var below = Below(changedGroups, parents);
        for (var u = 0; u < users.Count; u++)
        {
            if (userGroups[u].Any(below.Contains))
            {
                touched.Add(users[u].Id);
            }
        }

        var inputs = new MappingInputs
        {
            OrganizationId = stored.OrganizationId,
            Groups = [.. groups],
            GroupDeleted = [.. deleted],
            GroupParents = [.. parents.Select(p => p.ToArray())],
            Users = [.. users],
            UserGroups = [.. userGroups.Select(g => g.ToArray())],
            MappedMemberships = [.. mapped],
            ManualTeams = [.. manual],
            Teams = new Dictionary<string, TeamInfo>(stored.Teams),
        };
        return (inputs, touched);

        void SetActive(Guid id, bool active)
        {
            if (userIndex.TryGetValue(id, out var u))
            {
                users[u] = users[u] with { Active = active };
            }
        }
    }

    private static void Edit(List<int> list, int value, bool add)
    {
        if (add)
        {
            if (!list.Contains(value))
            {
                list.Add(value);
            }
        }
        else
        {
            list.Remove(value);
        }
    }

    /// <summary>The changed groups and every group nested below them.</summary>
    private static HashSet<int> Below(HashSet<int> changed, List<List<int>> parents)
    {
        var children = new Dictionary<int, List<int>>();
        for (var child = 0; child < parents.Count; child++)
        {
            foreach (var parent in parents[child])
            {
                (children.TryGetValue(parent, out var list) ? list : children[parent] = []).Add(child);
            }
        }
        var result = new HashSet<int>(changed);
        var frontier = new Queue<int>(changed);
        while (frontier.TryDequeue(out var g))
        {
            foreach (var child in children.GetValueOrDefault(g) ?? [])
            {
                if (result.Add(child))
                {
                    frontier.Enqueue(child);
                }
            }
        }
        return result;
    }
}

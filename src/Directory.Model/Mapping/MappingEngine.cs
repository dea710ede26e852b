using ScimBridge.Model.Organizations;
using ScimBridge.Model.Teams;

namespace ScimBridge.Model.Mapping;

/// <summary>
/// Pure: from users' groups (direct and nested) and a mapping file, the changes that bring their mapped team memberships,
/// organization roles, default teams and activation in line. Highest role wins per team; manual rows are never touched.
/// </summary>
public static class MappingEngine
{
    /// <summary>The names of teams the file's rules grant that the organization does not have yet.</summary>
    public static IReadOnlyList<string> MissingTeams(MappingFile file, IReadOnlyDictionary<string, TeamInfo> teams) =>
        [.. file.Rules
            .Select(r => r.Team)
            .DistinctBy(Team.Normalize)
            .Where(name => !teams.ContainsKey(Team.Normalize(name)))];

    public static MembershipPlan Plan(MappingFile file, MappingInputs inputs)
    {
        var grants = GrantsPerGroup(file, inputs);
        var ruleTeams = file.Rules.Select(r => inputs.Teams.GetValueOrDefault(Team.Normalize(r.Team))).ToArray();
        var plan = new MembershipPlan(inputs.OrganizationId, file);
        var best = new Dictionary<Guid, Grant>();
        for (var u = 0; u < inputs.Users.Length; u++)
        {
            var user = inputs.Users[u];
            best.Clear();
            OrganizationRole? role = null;
            var mapped = false;
            if (!user.Deleted)
            {
                foreach (var g in inputs.UserGroups[u])
                {
                    foreach (var grant in grants[g])
                    {
                        mapped = true;
                        if (grant.OrganizationRole is { } orgRole)
                        {
                            role = role is null || orgRole > role ? orgRole : role;
                            continue;
                        }

                        var team = ruleTeams[grant.Rule];
                        if (team is null || team.Deleted)
                        {
                            continue;
                        }

                        if (!best.TryGetValue(team.Id, out var current) || grant.Beats(current))
                        {
                            best[team.Id] = grant;
                        }
                    }
                }
            }

            var changes = Diff(file, inputs, u, best, ruleTeams, role, mapped);
            if (changes is not null)
            {
                plan.Users.Add(changes);
            }
        }

        return plan;
    }

    private static UserPlan? Diff(
        MappingFile file, MappingInputs inputs, int u, Dictionary<Guid, Grant> best, TeamInfo?[] ruleTeams, OrganizationRole? role, bool mapped)
    {
        var user = inputs.Users[u];
        UserPlan? plan = null;
        UserPlan Plan() => plan ??= new UserPlan(user);
        var current = inputs.MappedMemberships[u] ?? [];
        foreach (var row in current)
        {
            if (best.TryGetValue(row.TeamId, out var grant))
            {
                var team = ruleTeams[grant.Rule]!;
                if (row.Removed)
                {
                    Plan().Memberships.Add(new MembershipChange(MembershipChangeKind.Added, team.Id, team.Name, null, grant.Role, row.Id, Cause(file, grant, inputs)));
                }
                else if (row.Role != grant.Role)
                {
                    Plan().Memberships.Add(new MembershipChange(MembershipChangeKind.RoleChanged, team.Id, team.Name, row.Role, grant.Role, row.Id, Cause(file, grant, inputs)));
                }
            }
            else if (!row.Removed)
            {
                var name = inputs.TeamsById.TryGetValue(row.TeamId, out var gone) ? gone.Name : row.TeamId.ToString();
                Plan().Memberships.Add(new MembershipChange(MembershipChangeKind.Removed, row.TeamId, name, row.Role, null, row.Id,
                    $"no rule of {file.Describe()} grants this team any more"));
            }
        }

        foreach (var (teamId, grant) in best)
        {
            if (!current.Any(r => r.TeamId == teamId))
            {
                var team = ruleTeams[grant.Rule]!;
                Plan().Memberships.Add(new MembershipChange(MembershipChangeKind.Added, team.Id, team.Name, null, grant.Role, null, Cause(file, grant, inputs)));
            }
        }

        if (!user.Deleted)
        {
            if (file.OrganizationRoles.Count > 0 && (user.OrganizationRole is null || user.OrganizationRoleFromMapping) && user.OrganizationRole != role)
            {
                Plan().OrganizationRole = new OrganizationRoleChange(user.OrganizationRole, role);
            }

            if (!mapped && user.Active && user.ManagedByIdentityProvider && file.UnmappedUsers == UnmappedUserPolicy.Deactivate)
            {
                Plan().Activation = ActivationChange.Deactivate;
            }
            else if (user.DeactivatedByMapping && !user.Active && (mapped || file.UnmappedUsers == UnmappedUserPolicy.Keep))
            {
                Plan().Activation = ActivationChange.Reactivate;
            }

            var defaultTeam = DefaultTeam(file, inputs, u, best, ruleTeams);
            if (defaultTeam != user.DefaultTeamId)
            {
                Plan().DefaultTeam = new DefaultTeamChange(user.DefaultTeamId, defaultTeam);
            }
        }

        return plan;
    }

    private static Guid? DefaultTeam(MappingFile file, MappingInputs inputs, int u, Dictionary<Guid, Grant> best, TeamInfo?[] ruleTeams)
    {
        var manual = inputs.ManualTeams[u] ?? [];
        var current = inputs.Users[u].DefaultTeamId;
        if (current is { } id && (best.ContainsKey(id) || manual.Contains(id)))
        {
            return current;
        }

        if (best.Count == 0)
        {
            return manual.Length > 0 ? manual[0] : null;
        }

        if (file.DefaultTeam.Policy == DefaultTeamPolicy.Named
            && inputs.Teams.TryGetValue(Team.Normalize(file.DefaultTeam.TeamName!), out var named) && best.ContainsKey(named.Id))
        {
            return named.Id;
        }

        var chosen = file.DefaultTeam.Policy == DefaultTeamPolicy.FirstRule
            ? best.MinBy(b => b.Value.Rule)
            : best.MaxBy(b => ((int)b.Value.Role, -b.Value.Rule));
        return chosen.Key;
    }

    private static string Cause(MappingFile file, Grant grant, MappingInputs inputs)
    {
        var group = inputs.Groups[grant.Group];
        return $"{file.Rules[grant.Rule].Describe()} via group \"{group.DisplayName}\" ({group.Id}) in {file.Describe()}";
    }

    /// <summary>For each group, what it grants its members: its own matches and those of every group above it (cycles are cut).</summary>
    private static Grant[][] GrantsPerGroup(MappingFile file, MappingInputs inputs)
    {
        var count = inputs.Groups.Length;
        var own = new List<Grant>?[count];
        for (var g = 0; g < count; g++)
        {
            if (inputs.GroupDeleted[g])
            {
                continue;
            }

            var identity = inputs.Groups[g];
            for (var r = 0; r < file.Rules.Count; r++)
            {
                if (file.Rules[r].Group.Matches(identity))
                {
                    (own[g] ??= []).Add(new Grant(r, g, file.Rules[r].Role, null));
                }
            }

            for (var r = 0; r < file.OrganizationRoles.Count; r++)
            {
                if (file.OrganizationRoles[r].Group.Matches(identity))
                {
                    (own[g] ??= []).Add(new Grant(r, g, default, file.OrganizationRoles[r].Role));
                }
            }
        }

        var result = new Grant[count][];
        var visited = new HashSet<int>();
        var stack = new Stack<int>();
        for (var g = 0; g < count; g++)
        {
            if (inputs.GroupDeleted[g])
            {
                result[g] = [];
                continue;
            }

            // Walk up through parent groups; the visited set stops cycles (A in B in A).
            List<Grant>? all = null;
            visited.Clear();
            stack.Push(g);
            visited.Add(g);
            while (stack.Count > 0)
            {
                var at = stack.Pop();
                if (own[at] is { } grants)
                {
                    (all ??= []).AddRange(grants);
                }

                foreach (var parent in inputs.GroupParents[at])
                {
                    if (!inputs.GroupDeleted[parent] && visited.Add(parent))
                    {
                        stack.Push(parent);
                    }
                }
            }

            result[g] = all is null ? [] : [.. all];
        }

        return result;
    }

    /// <summary>One rule granting through one group; <see cref="OrganizationRole"/> is set for organization role rules.</summary>
    private readonly record struct Grant(int Rule, int Group, TeamRole Role, OrganizationRole? OrganizationRole)
    {
        public bool Beats(Grant other) => Role > other.Role || (Role == other.Role && Rule < other.Rule);
    }
}

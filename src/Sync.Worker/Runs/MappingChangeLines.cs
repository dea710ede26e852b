using ScimBridge.Model.Mapping;

namespace ScimBridge.Sync.Runs;

/// <summary>
/// The team and role changes of a dry run, one line each under the user's name: <c>+</c> added, <c>-</c> removed,
/// <c>~</c> role changed, and deactivations or reactivations by the file's <c>unmappedUsers</c>.
/// </summary>
internal static class MappingChangeLines
{
    public static async Task WriteAsync(MembershipPlan plan, IReadOnlyDictionary<Guid, string> userNames, TextWriter output, CancellationToken ct)
    {
        await output.WriteLineAsync($"Team and role changes by {plan.File.Describe()}: {(plan.IsEmpty ? "none" : plan.Summary())}");
        if (plan.TeamsToCreate.Count > 0)
        {
            await output.WriteLineAsync($"  teams to create: {string.Join(", ", plan.TeamsToCreate)}");
        }
        foreach (var user in plan.Users.OrderBy(u => userNames.GetValueOrDefault(u.UserId), StringComparer.OrdinalIgnoreCase))
        {
            ct.ThrowIfCancellationRequested();
            var name = userNames.GetValueOrDefault(user.UserId) ?? user.UserId.ToString();
            foreach (var change in user.Memberships.OrderBy(c => c.TeamName, StringComparer.OrdinalIgnoreCase))
            {
                await output.WriteLineAsync(change.Kind switch
                {
                    MembershipChangeKind.Added => $"+ team {change.TeamName}: {name} as {change.NewRole}",
                    MembershipChangeKind.Removed => $"- team {change.TeamName}: {name} (was {change.OldRole})",
                    _ => $"~ team {change.TeamName}: {name} {change.OldRole} -> {change.NewRole}",
                });
            }
            if (user.Activation is { } activation)
            {
                await output.WriteLineAsync(activation == ActivationChange.Deactivate
                    ? $"- user {name} deactivated by the mapping (in no mapped group; unmappedUsers: deactivate)"
                    : $"^ user {name} reactivated by the mapping (mapped again)");
            }
            if (user.OrganizationRole is { } role)
            {
                await output.WriteLineAsync($"~ organization role of {name}: {role.Old?.ToString() ?? "none"} -> {role.New?.ToString() ?? "none"}");
            }
        }
    }
}

using Microsoft.EntityFrameworkCore;
using ScimBridge.Model.Mapping;
using ScimBridge.Model.Persistence;

namespace ScimBridge.Scim.Mapping;

/// <summary>Prints a <see cref="MembershipPlan"/> per user: <c>+</c> added, <c>-</c> removed, <c>~</c> role changed.</summary>
internal sealed class MappingPreviewPrinter(ScimBridgeDbContext db, TextWriter output)
{
    public async Task PrintAsync(MembershipPlan plan, string slug, CancellationToken ct)
    {
        await output.WriteLineAsync($"Preview of {plan.File.Describe()} for organization {slug} (nothing is written).");
        if (plan.TeamsToCreate.Count > 0)
        {
            await output.WriteLineAsync($"Teams to create: {string.Join(", ", plan.TeamsToCreate)}");
        }

        var names = await UserNamesAsync(db, plan.Users.Select(u => u.UserId), ct);
        var teams = await TeamNamesAsync(db, plan, ct);
        foreach (var user in plan.Users.OrderBy(u => names.GetValueOrDefault(u.UserId), StringComparer.OrdinalIgnoreCase))
        {
            await output.WriteLineAsync(names.GetValueOrDefault(user.UserId, user.UserId.ToString()));
            foreach (var line in LinesFor(user, teams))
            {
                await output.WriteLineAsync(line);
            }
        }

        await output.WriteLineAsync($"{plan.Summary()}.");
    }

    /// <summary>userNames by id, read a thousand at a time.</summary>
    public static async Task<Dictionary<Guid, string>> UserNamesAsync(ScimBridgeDbContext db, IEnumerable<Guid> ids, CancellationToken ct)
    {
        var names = new Dictionary<Guid, string>();
        foreach (var chunk in ids.Chunk(1000))
        {
            foreach (var user in await db.Users.AsNoTracking().IgnoreAutoIncludes().Where(u => chunk.Contains(u.Id))
                         .Select(u => new { u.Id, u.UserName }).ToListAsync(ct))
            {
                names[user.Id] = user.UserName;
            }
        }

        return names;
    }

    /// <summary>The organization's team names by id, to name default teams.</summary>
    public static Task<Dictionary<Guid, string>> TeamNamesAsync(ScimBridgeDbContext db, MembershipPlan plan, CancellationToken ct) =>
        db.Teams.AsNoTracking().Where(t => t.OrganizationId == plan.OrganizationId).ToDictionaryAsync(t => t.Id, t => t.Name, ct);

    /// <summary>
    /// One user's changes as the preview prints them (also shown by the console): <c>+</c> added, <c>-</c> removed,
    /// <c>~</c> role changed, each with the rule, group and file version behind it; then deactivation, organization
    /// role and default team.
    /// </summary>
    public static IEnumerable<string> LinesFor(UserPlan user, Dictionary<Guid, string> teams)
    {
        foreach (var change in user.Memberships.OrderBy(c => c.TeamName, StringComparer.OrdinalIgnoreCase))
        {
            var line = change.Kind switch
            {
                MembershipChangeKind.Added => $"  + {change.TeamName} {Role(change.NewRole)}",
                MembershipChangeKind.Removed => $"  - {change.TeamName} {Role(change.OldRole)}",
                _ => $"  ~ {change.TeamName} {Role(change.OldRole)} -> {Role(change.NewRole)}",
            };
            yield return $"{line}   ({change.Cause})";
        }

        if (user.Activation is { } activation)
        {
            yield return activation == ActivationChange.Deactivate
                ? "  deactivate (in no mapped group; unmappedUsers: deactivate)"
                : "  reactivate (deactivated by a mapping before)";
        }

        if (user.OrganizationRole is { } role)
        {
            yield return $"  organization role: {role.Old?.ToString() ?? "(none)"} -> {role.New?.ToString() ?? "(none)"}";
        }

        if (user.DefaultTeam is { } team)
        {
            yield return $"  default team: {TeamName(teams, team.Old)} -> {TeamName(teams, team.New, user)}";
        }
    }

    private static string Role(Model.Teams.TeamRole? role) => role?.ToString().ToUpperInvariant() ?? "";

    private static string TeamName(Dictionary<Guid, string> teams, Guid? id, UserPlan? user = null) =>
        id is not { } value ? "(none)"
        : teams.TryGetValue(value, out var name) ? name
        : user?.Memberships.FirstOrDefault(m => m.TeamId == value)?.TeamName ?? value.ToString();
}

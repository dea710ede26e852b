using System.Globalization;
using ScimBridge.Model.Reconcile;

namespace ScimBridge.Model.Mapping;

/// <summary>How much a new file version takes away, counted for the guard.</summary>
/// <param name="ActiveUsers">Active, IdP-managed users: the ones a mapping may deactivate.</param>
/// <param name="Deactivations">Users the version would deactivate (<c>unmappedUsers: deactivate</c>).</param>
/// <param name="UsersWithMappedAccess">Users who hold a mapped membership or a mapped organization role now.</param>
/// <param name="UsersLosingAccess">Users who would lose a mapped membership, or get a lower team or organization role.</param>
public sealed record MappingImpact(int ActiveUsers, int Deactivations, int UsersWithMappedAccess, int UsersLosingAccess)
{
    /// <summary>Counts what <paramref name="plan"/> takes from the users of <paramref name="inputs"/>; deleted users do not count.</summary>
    public static MappingImpact Of(MappingInputs inputs, MembershipPlan plan)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(plan);
        int active = 0, withAccess = 0;
        for (var u = 0; u < inputs.Users.Length; u++)
        {
            var user = inputs.Users[u];
            if (user.Deleted)
            {
                continue;
            }

            if (user.Active && user.ManagedByIdentityProvider)
            {
                active++;
            }

            if ((user.OrganizationRoleFromMapping && user.OrganizationRole is not null) || (inputs.MappedMemberships[u]?.Any(m => !m.Removed) ?? false))
            {
                withAccess++;
            }
        }

        var living = plan.Users.Where(u => !u.Before.Deleted).ToList();
        return new MappingImpact(
            active,
            living.Count(u => u.Activation == ActivationChange.Deactivate),
            withAccess,
            living.Count(LosesAccess));
    }

    /// <summary>Whether the plan takes a mapped membership from the user, or lowers a team or organization role (deactivation aside).</summary>
    public static bool LosesAccess(UserPlan user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.Memberships.Any(m => m.Kind == MembershipChangeKind.Removed || (m.Kind == MembershipChangeKind.RoleChanged && m.NewRole < m.OldRole))
            || (user.OrganizationRole is { Old: { } old } change && (change.New is null || change.New < old));
    }
}

/// <summary>A valid file version the guard kept from applying by itself; it waits for an edit or an admin's <c>mappings apply</c>.</summary>
/// <param name="Reason">Counts, limits and what to do, as logged and audited.</param>
public sealed record MappingHold(string Version, DateTimeOffset Since, MappingImpact Impact, string Reason);

/// <summary>
/// The mapping counterpart of the sync worker's <see cref="DeactivationGuard"/>: a file version that parses but would
/// deactivate, or take mapped access from, more users than <see cref="MappingOptions"/> allow is not applied by itself.
/// </summary>
public static class MappingGuard
{
    /// <summary>The most users one version may deactivate: the smaller of percent and count of the active users, but at least <see cref="MappingOptions.AlwaysAllowedUsers"/>.</summary>
    public static int DeactivationLimit(MappingOptions options, int activeUsers)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Math.Max(options.AlwaysAllowedUsers,
            new DeactivationPolicy(options.DeactivationThresholdPercent, options.DeactivationThresholdCount).Limit(activeUsers));
    }

    /// <summary>The most users one version may take mapped access from, in the same way as <see cref="DeactivationLimit"/>.</summary>
    public static int RemovalLimit(MappingOptions options, int usersWithMappedAccess)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Math.Max(options.AlwaysAllowedUsers,
            new DeactivationPolicy(options.RemovalThresholdPercent, options.RemovalThresholdCount).Limit(usersWithMappedAccess));
    }

    public static GuardVerdict Check(MappingFile file, MappingImpact impact, MappingOptions options)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(impact);
        var problems = new List<string>();
        var deactivationLimit = DeactivationLimit(options, impact.ActiveUsers);
        if (impact.Deactivations > deactivationLimit)
        {
            problems.Add($"deactivate {impact.Deactivations} of {impact.ActiveUsers} active users (limit {deactivationLimit}: "
                + $"{Describe(options.DeactivationThresholdPercent, options.DeactivationThresholdCount, options.AlwaysAllowedUsers)})");
        }

        var removalLimit = RemovalLimit(options, impact.UsersWithMappedAccess);
        if (impact.UsersLosingAccess > removalLimit)
        {
            problems.Add($"remove or downgrade mapped memberships or roles of {impact.UsersLosingAccess} of {impact.UsersWithMappedAccess} users "
                + $"with mapped access (limit {removalLimit}: "
                + $"{Describe(options.RemovalThresholdPercent, options.RemovalThresholdCount, options.AlwaysAllowedUsers)})");
        }

        if (problems.Count == 0)
        {
            return GuardVerdict.Allow;
        }

        return GuardVerdict.Refuse(
            $"{file.Describe()} would {string.Join(" and ", problems)}. The version is held and the previous one stays in force. "
            + $"Check it with `mappings preview --org {file.Organization}`; fix the file, or release it with "
            + $"`mappings apply --org {file.Organization} --force` if the changes are meant");
    }

    private static string Describe(double percent, int count, int alwaysAllowed) =>
        $"the smaller of {percent.ToString(CultureInfo.InvariantCulture)}% and {count}, at least {alwaysAllowed}; ScimBridge:Mappings settings";
}

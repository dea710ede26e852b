using ScimBridge.Model.Organizations;
using ScimBridge.Model.Teams;
using ScimBridge.Model.Users;

namespace ScimBridge.Model.Mapping;

/// <summary>
/// What the engine needs from the database for a set of users, in compact form: groups and users are numbered
/// (array indices), edges are index arrays, so 100,000 users in 1,000 groups fit in a few megabytes.
/// </summary>
public sealed class MappingInputs
{
    public required Guid OrganizationId { get; init; }

    /// <summary>Groups the users are in, directly or through nesting; deleted groups grant nothing and pass nothing on.</summary>
    public required GroupIdentity[] Groups { get; init; }
    public required bool[] GroupDeleted { get; init; }

    /// <summary>For each group, the groups it is a member of (its parents).</summary>
    public required int[][] GroupParents { get; init; }

    public required MappedUser[] Users { get; init; }

    /// <summary>For each user, the groups the user is a direct member of.</summary>
    public required int[][] UserGroups { get; init; }

    /// <summary>For each user, the mapped memberships it has now, active or removed.</summary>
    public required CurrentMembership[]?[] MappedMemberships { get; init; }

    /// <summary>For each user, the teams an admin put the user in by hand (active rows).</summary>
    public required Guid[]?[] ManualTeams { get; init; }

    /// <summary>The organization's teams by normalized name.</summary>
    public required Dictionary<string, TeamInfo> Teams { get; init; }

    public Dictionary<Guid, TeamInfo> TeamsById => field ??= Teams.Values.ToDictionary(t => t.Id);

    /// <summary>A user about to be created: in no group, with no memberships; what the engine plans for it needs no database.</summary>
    public static MappingInputs ForNewUser(Guid organizationId, User user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return new MappingInputs
        {
            OrganizationId = organizationId,
            Groups = [],
            GroupDeleted = [],
            GroupParents = [],
            Users = [new MappedUser(user.Id, user.Active, user.DeactivatedBy == ManagedBySources.Mapping, user.DeletedAt is not null,
                user.ManagedBy != ManagedBySources.Manual, user.OrganizationRole, user.OrganizationRoleFromMapping, user.DefaultTeamId)],
            UserGroups = [[]],
            MappedMemberships = [null],
            ManualTeams = [null],
            Teams = [],
        };
    }
}

/// <summary>The user columns the engine reads.</summary>
public readonly record struct MappedUser(
    Guid Id,
    bool Active,
    bool DeactivatedByMapping,
    bool Deleted,
    bool ManagedByIdentityProvider,
    OrganizationRole? OrganizationRole,
    bool OrganizationRoleFromMapping,
    Guid? DefaultTeamId);

/// <summary>One mapped membership row as stored.</summary>
public readonly record struct CurrentMembership(Guid Id, Guid TeamId, TeamRole Role, bool Removed);

/// <summary>A team as the engine sees it; <see cref="Exists"/> is false for a team a mapping file is about to create.</summary>
public sealed record TeamInfo(Guid Id, string Name, bool Exists, bool Deleted);

using ScimBridge.Model.Teams;

namespace ScimBridge.Model.Persistence;

/// <summary>One of a user's teams (with the role) or direct groups, as a SCIM representation shows them; a group's role is unused.</summary>
public readonly record struct UserRelationRow(Guid Id, string Name, TeamRole Role, bool IsTeam);

/// <summary>A user on a list page, with the teams and groups the response shows.</summary>
public sealed record UserWithRelations(Users.User User, IReadOnlyList<UserRelationRow> Relations);

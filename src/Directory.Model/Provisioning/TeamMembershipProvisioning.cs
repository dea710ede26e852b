using Microsoft.EntityFrameworkCore;
using ScimBridge.Model.Audit;
using ScimBridge.Model.Mapping;
using ScimBridge.Model.Persistence;
using ScimBridge.Model.Teams;
using ScimBridge.Model.Users;

namespace ScimBridge.Model.Provisioning;

/// <summary>
/// Team memberships set by hand (the console). They are kept apart from mapped ones, which the mapping engine owns and
/// never touches these; the effective role in a team is the highest of both. Stages changes; the caller saves.
/// </summary>
public sealed class TeamMembershipProvisioning(ScimBridgeDbContext db, AuditLog audit, TimeProvider clock)
{
    /// <summary>Gives the user a hand-set <paramref name="role"/> in the team, or changes it; returns false when it was already so.</summary>
    public async Task<bool> SetManualAsync(User user, Team team, TeamRole role, ProvisioningContext context, CancellationToken ct)
    {
        RequireSameOrganization(user, team, context);
        if (!team.IsActive)
        {
            throw new InvalidValueException($"The team '{team.Name}' is deleted; reactivate it before adding members.");
        }

        if (!Enum.IsDefined(role))
        {
            throw new InvalidValueException($"'{role}' is not a team role; choose ADMIN, MEMBER or VIEWER.");
        }

        var now = clock.GetUtcNow();
        var cause = context.Cause ?? $"set by hand by {context.Actor}";
        var row = await db.TeamMemberships.FirstOrDefaultAsync(m => m.TeamId == team.Id && m.UserId == user.Id && m.Origin == MembershipOrigin.Manual, ct);
        string action;
        object? before = null;
        if (row is null)
        {
            row = new TeamMembership
            {
                OrganizationId = user.OrganizationId,
                TeamId = team.Id,
                UserId = user.Id,
                Origin = MembershipOrigin.Manual,
                CreatedAt = now,
            };
            db.TeamMemberships.Add(row);
            action = MembershipAudit.Action(MembershipChangeKind.Added);
        }
        else if (row.IsActive)
        {
            if (row.Role == role)
            {
                return false;
            }

            before = Snapshot(team, row.Role);
            action = MembershipAudit.Action(MembershipChangeKind.RoleChanged);
        }
        else
        {
            action = MembershipAudit.Action(MembershipChangeKind.Added);
        }

        row.Role = role;
        row.Cause = cause;
        row.UpdatedAt = now;
        row.RemovedAt = null;
        Touch(user, now);
        audit.Record(user.OrganizationId, context.Actor, action, UserProvisioning.TargetType, user.Id.ToString(), before, Snapshot(team, role), cause);
        return true;
    }

    /// <summary>
    /// Removes the user's hand-set membership of the team (softly: the row keeps its history); mapped memberships stay.
    /// A default team the user is no longer in is cleared. Returns false when there was no hand-set membership.
    /// </summary>
    public async Task<bool> RemoveManualAsync(User user, Team team, ProvisioningContext context, CancellationToken ct)
    {
        RequireSameOrganization(user, team, context);
        var row = await db.TeamMemberships.FirstOrDefaultAsync(
            m => m.TeamId == team.Id && m.UserId == user.Id && m.Origin == MembershipOrigin.Manual && m.RemovedAt == null, ct);
        if (row is null)
        {
            return false;
        }

        var now = clock.GetUtcNow();
        var cause = context.Cause ?? $"removed by hand by {context.Actor}";
        row.RemovedAt = now;
        row.UpdatedAt = now;
        Touch(user, now);
        audit.Record(user.OrganizationId, context.Actor, MembershipAudit.Action(MembershipChangeKind.Removed), UserProvisioning.TargetType, user.Id.ToString(),
            Snapshot(team, row.Role), null, cause);

        var stillInTeam = await db.TeamMemberships.AnyAsync(
            m => m.TeamId == team.Id && m.UserId == user.Id && m.Id != row.Id && m.RemovedAt == null, ct);
        if (user.DefaultTeamId == team.Id && !stillInTeam)
        {
            user.DefaultTeamId = null;
            audit.Record(user.OrganizationId, context.Actor, "user.default-team.changed", UserProvisioning.TargetType, user.Id.ToString(),
                new { defaultTeamId = team.Id }, new { defaultTeamId = (Guid?)null }, "the user left their default team");
        }

        return true;
    }

    private static object Snapshot(Team team, TeamRole role) => MembershipAudit.Snapshot(team.Id, team.Name, role, MembershipOrigin.Manual);

    private static void Touch(User user, DateTimeOffset now)
    {
        // The SCIM ETag moves: a user's teams are part of its representation.
        user.UpdatedAt = now;
        user.Version++;
    }

    private static void RequireSameOrganization(User user, Team team, ProvisioningContext context)
    {
        if (user.OrganizationId != context.OrganizationId || team.OrganizationId != context.OrganizationId)
        {
            throw new ResourceNotFoundException("The user or the team does not exist in this organization.");
        }
    }
}

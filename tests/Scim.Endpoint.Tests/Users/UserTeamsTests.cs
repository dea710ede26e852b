using System.Net;
using Microsoft.Extensions.DependencyInjection;
using ScimBridge.Model.Persistence;
using ScimBridge.Model.Teams;
using ScimBridge.Scim.Tests.Infrastructure;

namespace ScimBridge.Scim.Tests.Users;

public sealed class UserTeamsTests(ScimBridgeFactory factory) : IClassFixture<ScimBridgeFactory>
{
    private const string Platform = "urn:ietf:params:scim:schemas:extension:scimbridge:2.0:User";

    [Fact]
    public async Task Teams_show_the_highest_active_role_per_team_and_groups_show_direct_membership()
    {
        var api = new ScimApi(await factory.CreateOrganizationClientAsync("teams-" + Guid.NewGuid().ToString("N")[..8]));
        var created = await api.CreateUserAsync("member@example.org");
        var userId = Guid.Parse(ScimApi.Id(created));
        var groupId = ScimApi.Id(await api.CreateGroupAsync("Support", userId.ToString()));
        Guid supportTeam;
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ScimBridgeDbContext>();
            var organizationId = db.Users.Where(u => u.Id == userId).Select(u => u.OrganizationId).Single();
            var support = new Team { OrganizationId = organizationId, CreatedAt = DateTimeOffset.UnixEpoch };
            support.Rename("Support");
            var retired = new Team { OrganizationId = organizationId, CreatedAt = DateTimeOffset.UnixEpoch, DeletedAt = DateTimeOffset.UnixEpoch };
            retired.Rename("Retired");
            db.Teams.AddRange(support, retired);
            db.TeamMemberships.AddRange(
                Membership(organizationId, support.Id, userId, TeamRole.Viewer, MembershipOrigin.Manual, removed: false),
                Membership(organizationId, support.Id, userId, TeamRole.Admin, MembershipOrigin.Mapping, removed: false),
                Membership(organizationId, retired.Id, userId, TeamRole.Member, MembershipOrigin.Manual, removed: false));
            await db.SaveChangesAsync();
            supportTeam = support.Id;
        }

        var user = await api.ExpectAsync(HttpStatusCode.OK, api.GetAsync($"/Users/{userId}"));

        var team = Assert.Single(user[Platform]!["teams"]!.AsArray())!;
        Assert.Equal(supportTeam.ToString(), (string?)team["value"]);
        Assert.Equal("Support", (string?)team["display"]);
        Assert.Equal("ADMIN", (string?)team["role"]);
        var group = Assert.Single(user["groups"]!.AsArray())!;
        Assert.Equal(groupId, (string?)group["value"]);
        Assert.Equal("Support", (string?)group["display"]);
    }

    private static TeamMembership Membership(Guid organizationId, Guid teamId, Guid userId, TeamRole role, MembershipOrigin origin, bool removed) => new()
    {
        OrganizationId = organizationId,
        TeamId = teamId,
        UserId = userId,
        Role = role,
        Origin = origin,
        CreatedAt = DateTimeOffset.UnixEpoch,
        UpdatedAt = DateTimeOffset.UnixEpoch,
        RemovedAt = removed ? DateTimeOffset.UnixEpoch : null,
    };
}

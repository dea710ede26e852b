using ScimBridge.Model.Audit;
using ScimBridge.Model.Mapping;
using ScimBridge.Model.Teams;

namespace ScimBridge.Model.Tests.Mapping;

public sealed class MappingGuardTests
{
    private const string Before = """
        organization: acme
        organizationRoles:
          - group: { displayName: "Platform Admins" }
            role: Admin
        rules:
          - group: { displayName: "Sales Admins" }
            team: Sales
            role: ADMIN
          - group: { displayName: "Sales" }
            team: Sales
            role: MEMBER
          - group: { displayName: "Sales Viewers" }
            team: Sales
            role: VIEWER
          - group: { displayName: "Support" }
            team: Support
            role: MEMBER
        """;

    // Ada is downgraded, Cy loses Support, Dee's organization role drops; Eve is upgraded and Bob gains a team.
    private const string After = """
        organization: acme
        organizationRoles:
          - group: { displayName: "Platform Admins" }
            role: Viewer
        rules:
          - group: { displayName: "Sales Admins" }
            team: Sales
            role: MEMBER
          - group: { displayName: "Sales" }
            team: Sales
            role: MEMBER
          - group: { displayName: "Sales Viewers" }
            team: Sales
            role: ADMIN
          - group: { displayName: "Sales" }
            team: Support
            role: VIEWER
        """;

    [Fact]
    public async Task Removals_downgrades_and_lower_organization_roles_count_as_lost_access_while_additions_and_upgrades_do_not()
    {
        await using var scenario = await MappingScenario.CreateAsync();
        scenario.WriteMapping(Before);
        await scenario.TeamAsync("Sales");
        await scenario.TeamAsync("Support");
        var ada = await scenario.UserAsync("ada@example.org");
        var bob = await scenario.UserAsync("bob@example.org");
        var cy = await scenario.UserAsync("cy@example.org");
        var dee = await scenario.UserAsync("dee@example.org");
        var eve = await scenario.UserAsync("eve@example.org");
        await scenario.UserAsync("fay@example.org");
        await scenario.GroupAsync("Sales Admins", members: ada.Id);
        await scenario.GroupAsync("Sales", members: bob.Id);
        await scenario.GroupAsync("Support", members: cy.Id);
        await scenario.GroupAsync("Platform Admins", members: dee.Id);
        await scenario.GroupAsync("Sales Viewers", members: eve.Id);
        await scenario.RecomputeAllAsync();

        var file = MappingFileParser.Parse("acme.yaml", After).File!;
        var (plan, impact) = await scenario.Memberships.AssessAsync(scenario.OrganizationId, file, default);

        Assert.Equal(new MappingImpact(ActiveUsers: 6, Deactivations: 0, UsersWithMappedAccess: 5, UsersLosingAccess: 3), impact);
        Assert.Equal(5, plan.Users.Count);
        Assert.True(MappingGuard.Check(file, impact, new MappingOptions()).Allowed);

        // The apply path sees the same counts before it writes, and a refusal writes nothing.
        MappingImpact? seen = null;
        var refused = await scenario.Memberships.ApplyAsync(scenario.OrganizationId, file, AuditActor.Mapping("acme.yaml"), i =>
        {
            seen = i;
            return false;
        }, default);
        Assert.Null(refused);
        Assert.Equal(impact, seen);
        Assert.Equal(new Dictionary<string, TeamRole> { ["Sales"] = TeamRole.Admin }, await scenario.TeamsOfAsync(ada.Id));

        var strict = new MappingOptions { AlwaysAllowedUsers = 2 };
        var verdict = MappingGuard.Check(file, impact, strict);
        Assert.False(verdict.Allowed);
        Assert.StartsWith($"{file.Describe()} would remove or downgrade mapped memberships or roles of 3 of 5 users with mapped access (limit 2: " +
            "the smaller of 10% and 500, at least 2; ScimBridge:Mappings settings). The version is held", verdict.Reason);
    }

    [Theory]
    [InlineData(20, 10, 10)]
    [InlineData(20, 0, 2)]
    [InlineData(1_000, 10, 100)]
    [InlineData(100_000, 10, 500)]
    public void Limits_are_the_smaller_of_percent_and_count_but_never_below_the_always_allowed_users(int users, int alwaysAllowed, int limit)
    {
        var options = new MappingOptions { AlwaysAllowedUsers = alwaysAllowed };

        Assert.Equal(limit, MappingGuard.DeactivationLimit(options, users));
        Assert.Equal(limit, MappingGuard.RemovalLimit(options, users));
    }
}

using Microsoft.EntityFrameworkCore;
using ScimBridge.Model.Audit;
using ScimBridge.Model.Mapping;
using ScimBridge.Model.Organizations;
using ScimBridge.Model.Teams;
using ScimBridge.Model.Users;

namespace ScimBridge.Model.Tests.Mapping;

public sealed class MembershipMappingTests
{
    private const string SalesMapping = """
        organization: acme
        rules:
          - group: { displayName: "Sales Admins" }
            team: Sales
            role: ADMIN
          - group: { displayName: "Sales" }
            team: Sales
            role: MEMBER
          - group: { glob: "Sales*" }
            team: Sales
            role: VIEWER
          - group: { id: "6f1c2a9e-0b7d-4c1e-9a51-2f3e4d5c6b7a" }
            team: Support
            role: MEMBER
        """;

    [Fact]
    public async Task Overlapping_groups_grant_the_highest_role_in_one_row()
    {
        await using var scenario = await MappingScenario.CreateAsync();
        Assert.Empty(scenario.WriteMapping(SalesMapping));
        var ada = await scenario.UserAsync("ada@example.org");
        await scenario.GroupAsync("Sales", members: ada.Id);
        await scenario.GroupAsync("Sales Admins", members: ada.Id);
        await scenario.GroupAsync("Sales Viewers", members: ada.Id);

        await scenario.RecomputeAllAsync();

        Assert.Equal(new Dictionary<string, TeamRole> { ["Sales"] = TeamRole.Admin }, await scenario.TeamsOfAsync(ada.Id));
        var row = Assert.Single(await scenario.MembershipRowsAsync(ada.Id));
        Assert.Equal(MembershipOrigin.Mapping, row.Origin);
        Assert.Contains("rule 1", row.Cause);
    }

    [Fact]
    public async Task Members_of_nested_groups_count_as_members_and_cycles_end()
    {
        await using var scenario = await MappingScenario.CreateAsync();
        scenario.WriteMapping(SalesMapping);
        var ada = await scenario.UserAsync("ada@example.org");
        var emea = await scenario.GroupAsync("EMEA desk", members: ada.Id);
        var admins = await scenario.GroupAsync("Sales Admins", members: emea.Id);
        await scenario.Directory.Groups.AddMembersAsync(emea, [admins.Id], scenario.Directory.Context, default);
        await scenario.Directory.Db.SaveChangesAsync();

        await scenario.RecomputeAllAsync();
        Assert.Equal(TeamRole.Admin, (await scenario.TeamsOfAsync(ada.Id))["Sales"]);

        // The same through the per-user path SCIM takes.
        await scenario.Directory.Db.TeamMemberships.ExecuteDeleteAsync();
        await scenario.Memberships.RecomputeUsersAsync(scenario.OrganizationId, [ada.Id], AuditActor.ScimClient("test"), default);
        Assert.Equal(TeamRole.Admin, (await scenario.TeamsOfAsync(ada.Id))["Sales"]);
    }

    [Fact]
    public async Task A_rule_matching_by_id_survives_a_rename_while_a_rule_by_name_lets_go()
    {
        await using var scenario = await MappingScenario.CreateAsync();
        scenario.WriteMapping(SalesMapping);
        var ada = await scenario.UserAsync("ada@example.org");
        var support = await scenario.GroupAsync("Support Team", "6F1C2A9E-0B7D-4C1E-9A51-2F3E4D5C6B7A", members: ada.Id);
        var sales = await scenario.GroupAsync("Sales", members: ada.Id);
        await scenario.RecomputeAllAsync();
        Assert.Equal(2, (await scenario.TeamsOfAsync(ada.Id)).Count);

        scenario.Directory.Groups.Update(support, "Customer Care", support.ExternalId, scenario.Directory.Context);
        scenario.Directory.Groups.Update(sales, "Revenue", sales.ExternalId, scenario.Directory.Context);
        await scenario.Memberships.RecomputeGroupsAsync(scenario.OrganizationId, [support.Id, sales.Id], AuditActor.ScimClient("test"), default);

        Assert.Equal(new Dictionary<string, TeamRole> { ["Support"] = TeamRole.Member }, await scenario.TeamsOfAsync(ada.Id));
    }

    [Fact]
    public async Task Removing_a_user_from_a_group_removes_only_that_derived_membership_softly()
    {
        await using var scenario = await MappingScenario.CreateAsync();
        scenario.WriteMapping(SalesMapping);
        var ada = await scenario.UserAsync("ada@example.org");
        var bob = await scenario.UserAsync("bob@example.org");
        var sales = await scenario.GroupAsync("Sales", members: [ada.Id, bob.Id]);
        await scenario.GroupAsync("Support", "6f1c2a9e-0b7d-4c1e-9a51-2f3e4d5c6b7a", members: ada.Id);
        await scenario.RecomputeAllAsync();

        await scenario.Directory.Groups.RemoveMembersAsync(sales, [ada.Id], scenario.Directory.Context, default);
        await scenario.Memberships.RecomputeUsersAsync(scenario.OrganizationId, [ada.Id], AuditActor.ScimClient("test"), default);

        Assert.Equal(new Dictionary<string, TeamRole> { ["Support"] = TeamRole.Member }, await scenario.TeamsOfAsync(ada.Id));
        Assert.Equal(new Dictionary<string, TeamRole> { ["Sales"] = TeamRole.Member }, await scenario.TeamsOfAsync(bob.Id));
        var removed = (await scenario.MembershipRowsAsync(ada.Id)).Single(m => m.RemovedAt is not null);
        await using var read = scenario.Directory.NewContext();
        var entry = await read.AuditEntries.OrderBy(a => a.Id).LastAsync(a => a.Action == "membership.removed");
        Assert.Equal(ada.Id.ToString(), entry.TargetId);
        Assert.Contains("Sales", entry.Before);
        Assert.NotNull(removed.RemovedAt);

        // Back in the group: the same row comes back.
        await scenario.Directory.Groups.AddMembersAsync(sales, [ada.Id], scenario.Directory.Context, default);
        await scenario.Memberships.RecomputeUsersAsync(scenario.OrganizationId, [ada.Id], AuditActor.ScimClient("test"), default);
        Assert.Equal(2, (await scenario.TeamsOfAsync(ada.Id)).Count);
        Assert.Equal(2, (await scenario.MembershipRowsAsync(ada.Id)).Count);
    }

    [Fact]
    public async Task Manual_memberships_are_never_touched()
    {
        await using var scenario = await MappingScenario.CreateAsync();
        scenario.WriteMapping(SalesMapping);
        var ada = await scenario.UserAsync("ada@example.org");
        var sales = await scenario.TeamAsync("Sales");
        var finance = await scenario.TeamAsync("Finance");
        var now = scenario.Directory.Clock.GetUtcNow();
        foreach (var (team, role) in new[] { (sales, TeamRole.Admin), (finance, TeamRole.Viewer) })
        {
            scenario.Directory.Db.TeamMemberships.Add(new TeamMembership
            {
                OrganizationId = scenario.OrganizationId, TeamId = team.Id, UserId = ada.Id, Role = role,
                Origin = MembershipOrigin.Manual, CreatedAt = now, UpdatedAt = now,
            });
        }

        await scenario.Directory.Db.SaveChangesAsync();
        var group = await scenario.GroupAsync("Sales Viewers", members: ada.Id);
        await scenario.RecomputeAllAsync();
        Assert.Equal(new Dictionary<string, TeamRole> { ["Sales"] = TeamRole.Admin, ["Finance"] = TeamRole.Viewer }, await scenario.TeamsOfAsync(ada.Id));

        await scenario.Directory.Groups.RemoveMembersAsync(group, [ada.Id], scenario.Directory.Context, default);
        await scenario.Memberships.RecomputeUsersAsync(scenario.OrganizationId, [ada.Id], AuditActor.ScimClient("test"), default);

        var rows = await scenario.MembershipRowsAsync(ada.Id);
        Assert.All(rows.Where(r => r.Origin == MembershipOrigin.Manual), r => Assert.Null(r.RemovedAt));
        Assert.NotNull(rows.Single(r => r.Origin == MembershipOrigin.Mapping).RemovedAt);
        Assert.Equal(new Dictionary<string, TeamRole> { ["Sales"] = TeamRole.Admin, ["Finance"] = TeamRole.Viewer }, await scenario.TeamsOfAsync(ada.Id));
    }

    [Fact]
    public async Task Unmapped_users_are_kept_when_the_policy_is_keep()
    {
        await using var scenario = await MappingScenario.CreateAsync();
        scenario.WriteMapping(SalesMapping.Replace("organization: acme", "organization: acme\nunmappedUsers: keep", StringComparison.Ordinal));
        var ada = await scenario.UserAsync("ada@example.org");

        await scenario.RecomputeAllAsync();

        Assert.True((await scenario.ReadUserAsync(ada.Id)).Active);
    }

    [Fact]
    public async Task Unmapped_users_are_deactivated_audited_and_reactivated_when_mapped_again()
    {
        await using var scenario = await MappingScenario.CreateAsync();
        scenario.WriteMapping(SalesMapping.Replace("organization: acme", "organization: acme\nunmappedUsers: deactivate", StringComparison.Ordinal));
        var ada = await scenario.UserAsync("ada@example.org");
        var left = await scenario.UserAsync("left@example.org");
        await scenario.Directory.Users.UpdateAsync(left, left.ToProfile() with { Active = false }, scenario.Directory.Context, default);
        await scenario.Directory.Db.SaveChangesAsync();

        await scenario.RecomputeAllAsync();

        var stored = await scenario.ReadUserAsync(ada.Id);
        Assert.Equal(UserStatus.Deactivated, stored.Status);
        Assert.Equal(ManagedBySources.Mapping, stored.DeactivatedBy);
        await using (var read = scenario.Directory.NewContext())
        {
            var entry = await read.AuditEntries.SingleAsync(a => a.Action == "user.deactivated" && a.TargetId == ada.Id.ToString());
            Assert.Contains("unmappedUsers is deactivate", entry.Cause);
        }

        await scenario.GroupAsync("Sales", members: [ada.Id, left.Id]);
        await scenario.Memberships.RecomputeUsersAsync(scenario.OrganizationId, [ada.Id, left.Id], AuditActor.ScimClient("test"), default);

        Assert.Equal(UserStatus.Prepared, (await scenario.ReadUserAsync(ada.Id)).Status);
        Assert.Null((await scenario.ReadUserAsync(ada.Id)).DeactivatedBy);

        // The identity provider deactivated this one; a mapping never overrides that.
        Assert.Equal(UserStatus.Deactivated, (await scenario.ReadUserAsync(left.Id)).Status);
    }

    [Fact]
    public async Task An_invalid_file_is_rejected_with_positions_and_the_previous_version_stays_in_force()
    {
        await using var scenario = await MappingScenario.CreateAsync();
        scenario.WriteMapping(SalesMapping);
        var ada = await scenario.UserAsync("ada@example.org");
        await scenario.GroupAsync("Sales", members: ada.Id);
        await scenario.RecomputeAllAsync();
        var version = scenario.Store.For("acme")!.Version;

        var errors = scenario.WriteMapping("""
            organization: acme
            rules:
              - group: { displayName: "Sales" }
                team: Sales
                role: OWNER
            """);

        var error = Assert.Single(errors);
        Assert.Equal("acme.yaml:5:11: bad role 'OWNER' (expected one of: ADMIN, MEMBER, VIEWER)", error.ToString());
        Assert.Equal(version, scenario.Store.For("acme")!.Version);
        var status = Assert.Single(scenario.Store.Statuses);
        Assert.Equal(version, status.Version);
        Assert.NotEmpty(status.Errors);

        await scenario.RecomputeAllAsync();
        Assert.Equal(new Dictionary<string, TeamRole> { ["Sales"] = TeamRole.Member }, await scenario.TeamsOfAsync(ada.Id));
    }

    [Fact]
    public async Task A_second_recompute_writes_nothing_and_the_audit_chain_stays_intact()
    {
        await using var scenario = await MappingScenario.CreateAsync();
        scenario.WriteMapping(SalesMapping);
        var users = new List<Guid>();
        for (var i = 0; i < 30; i++)
        {
            users.Add((await scenario.UserAsync($"user{i}@example.org")).Id);
        }

        await scenario.GroupAsync("Sales", members: [.. users]);
        await scenario.GroupAsync("Support", "6f1c2a9e-0b7d-4c1e-9a51-2f3e4d5c6b7a", members: [.. users.Take(10)]);

        await scenario.RecomputeAllAsync();
        await using var read = scenario.Directory.NewContext();
        var entries = await read.AuditEntries.CountAsync();
        Assert.Equal(40, await read.AuditEntries.CountAsync(a => a.Action == "membership.added"));
        await scenario.RecomputeAllAsync();

        Assert.Equal(entries, await read.AuditEntries.CountAsync());
        var verification = await new AuditVerifier(read).VerifyAsync(scenario.OrganizationId, default);
        Assert.True(verification.Intact, $"audit chain broken at entry {verification.FirstBrokenEntryId}");
        Assert.Equal(entries, verification.EntriesChecked);
        var added = await read.AuditEntries.FirstAsync(a => a.Action == "membership.added");
        Assert.Matches(@"rule \d .* via group "".*"" \(.*\) in acme\.yaml@[0-9a-f]{12}", added.Cause);
        Assert.Equal("mapping:acme.yaml", added.Actor);
    }

    [Fact]
    public async Task Organization_roles_and_default_team_follow_the_rules()
    {
        await using var scenario = await MappingScenario.CreateAsync();
        scenario.WriteMapping("""
            organization: acme
            defaultTeam: { team: Support }
            organizationRoles:
              - group: { cn: "it-admins" }
                role: Admin
            rules:
              - group: { ldapDn: "CN=Sales, OU=Groups, DC=example, DC=org" }
                team: Sales
                role: ADMIN
              - group: { pattern: "^support-(emea|apac)$" }
                team: Support
                role: VIEWER
            """);
        var ada = await scenario.UserAsync("ada@example.org");
        await scenario.GroupAsync("Sales", dn: "cn=sales,ou=groups,dc=example,dc=org", members: ada.Id);
        await scenario.GroupAsync("Support-EMEA", members: ada.Id);
        var admins = await scenario.GroupAsync("IT Admins", dn: "cn=it-admins,ou=groups,dc=example,dc=org", members: ada.Id);

        await scenario.RecomputeAllAsync();

        var stored = await scenario.ReadUserAsync(ada.Id);
        Assert.Equal(OrganizationRole.Admin, stored.OrganizationRole);
        Assert.True(stored.OrganizationRoleFromMapping);
        await using var read = scenario.Directory.NewContext();
        Assert.Equal("Support", (await read.Teams.SingleAsync(t => t.Id == stored.DefaultTeamId)).Name);

        await scenario.Directory.Groups.RemoveMembersAsync(admins, [ada.Id], scenario.Directory.Context, default);
        await scenario.Memberships.RecomputeUsersAsync(scenario.OrganizationId, [ada.Id], AuditActor.ScimClient("test"), default);
        Assert.Null((await scenario.ReadUserAsync(ada.Id)).OrganizationRole);
    }

    [Fact]
    public async Task Preview_reports_changes_and_writes_nothing()
    {
        await using var scenario = await MappingScenario.CreateAsync();
        scenario.WriteMapping(SalesMapping);
        var ada = await scenario.UserAsync("ada@example.org");
        await scenario.GroupAsync("Sales Admins", members: ada.Id);
        await using var read = scenario.Directory.NewContext();
        var audit = await read.AuditEntries.CountAsync();

        var plan = await scenario.Memberships.PreviewAsync(scenario.OrganizationId, scenario.Store.For("acme")!, default);

        var user = Assert.Single(plan.Users);
        var change = Assert.Single(user.Memberships);
        Assert.Equal((MembershipChangeKind.Added, "Sales", TeamRole.Admin), (change.Kind, change.TeamName, change.NewRole!.Value));
        Assert.Contains("Sales", plan.TeamsToCreate);
        Assert.Equal(audit, await read.AuditEntries.CountAsync());
        Assert.Equal(0, await read.TeamMemberships.CountAsync());
        Assert.Equal(0, await read.Teams.CountAsync());
    }
}

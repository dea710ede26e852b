using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ScimBridge.Model.Mapping;
using ScimBridge.Model.Persistence;
using ScimBridge.Scim.Tests.Infrastructure;

namespace ScimBridge.Scim.Tests.Mapping;

/// <summary>The guard with its default limits: changes for more than 10 users (or 10 %, at most 500, when larger) wait for an admin.</summary>
public sealed class MappingGuardTests(MappingFactory factory) : IClassFixture<MappingFactory>
{
    [Fact]
    public async Task A_typo_that_would_strip_many_users_is_held_until_an_admin_forces_it_and_the_service_then_keeps_it()
    {
        var api = new ScimApi(await factory.CreateOrganizationClientAsync("held"));
        var good = factory.WriteMapping("held.yaml", Mapping("held", "Sales Admins"));
        await MappingFactory.EventuallyAsync(() => Task.FromResult(factory.Store.For("held")?.Version == good), "first version in force");
        var users = await CreateUsersAsync(api, "held", 20);
        var group = ScimApi.Id(await api.CreateGroupAsync("Sales Admins", [.. users]));
        Assert.Equal(["Sales:ADMIN"], await MappingFactory.TeamsAsync(api, users[0]));

        // A typo in the group name parses fine but would take Sales from all 20.
        var typo = factory.WriteMapping("held.yaml", Mapping("held", "Sales Admin"));
        var status = await HeldAsync("held");
        Assert.Equal(typo, status.Held!.Version);
        Assert.Equal(good, status.Version);
        Assert.Equal(20, status.Held.Impact.UsersLosingAccess);
        Assert.Contains("would remove or downgrade mapped memberships or roles of 20 of 20 users with mapped access (limit 10:", status.Held.Reason);
        Assert.Contains("mappings apply --org held --force", status.Held.Reason);
        Assert.Equal(["Sales:ADMIN"], await MappingFactory.TeamsAsync(api, users[19]));

        // The file is held before its audit entry is saved.
        await MappingFactory.EventuallyAsync(async () => (await AuditAsync("mapping.held", "held.yaml")).Count > 0, "held audited");
        var held = Assert.Single(await AuditAsync("mapping.held", "held.yaml"));
        Assert.Contains("\"usersLosingAccess\":20", held.After);
        Assert.Equal(status.Held.Reason, held.Cause);

        // Live SCIM changes keep using the version in force: a new member still gets Sales.
        var late = ScimApi.Id(await api.CreateUserAsync("late@held.example"));
        await api.ExpectAsync(HttpStatusCode.NoContent, api.PatchAsync($"/Groups/{group}",
            $$"""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","path":"members","value":[{"value":"{{late}}"}]}]}"""));
        Assert.Equal(["Sales:ADMIN"], await MappingFactory.TeamsAsync(api, late));

        // Without --force the command refuses and writes nothing.
        var refused = await AdminCli.RunAsync(factory, "mappings", "apply", "--org", "held");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("Not applied: held.yaml@", refused.Output);
        Assert.Contains("21 of 21 users with mapped access", refused.Output);
        Assert.Equal(["Sales:ADMIN"], await MappingFactory.TeamsAsync(api, users[0]));

        // With --force it applies now; the running service finds the applied version and keeps it in force.
        var forced = await AdminCli.RunAsync(factory, "mappings", "apply", "--org", "held", "--force");
        Assert.True(forced.ExitCode == 0, forced.Output + forced.Error);
        Assert.Contains("past the guard (--force): 21 users change: 0 memberships added, 21 removed, 0 role changes, 0 deactivations", forced.Output);
        Assert.Empty(await MappingFactory.TeamsAsync(api, users[0]));
        var released = Assert.Single(await AuditAsync("mapping.released", "held.yaml"));
        Assert.StartsWith("applied with --force past the guard: held.yaml@", released.Cause);
        await MappingFactory.EventuallyAsync(
            () => Task.FromResult(factory.Store.StatusFor("held") is { Held: null } s && s.Version == typo), "forced version in force");
        await factory.WatcherRoundAsync();
        Assert.Null(factory.Store.StatusFor("held")!.Held);
        Assert.Empty(await MappingFactory.TeamsAsync(api, late));
        Assert.Single(await AuditAsync("mapping.held", "held.yaml"));
    }

    [Fact]
    public async Task A_change_for_a_few_users_applies_at_once()
    {
        var api = new ScimApi(await factory.CreateOrganizationClientAsync("small"));
        factory.WriteMapping("small.yaml", Mapping("small", "Sales Admins") + NightShiftRule);
        await MappingFactory.EventuallyAsync(() => Task.FromResult(factory.Store.For("small") is not null), "first version in force");
        var users = await CreateUsersAsync(api, "small", 20);
        await api.CreateGroupAsync("Sales Admins", [.. users]);
        await api.CreateGroupAsync("Night Shift", [.. users.Take(3)]);
        Assert.Equal(["Sales:ADMIN", "Support:MEMBER"], await MappingFactory.TeamsAsync(api, users[0]));

        // Dropping the night shift rule takes Support from 3 of 20 users: within the limit.
        var edited = factory.WriteMapping("small.yaml", Mapping("small", "Sales Admins"));
        await MappingFactory.EventuallyAsync(async () => (await MappingFactory.TeamsAsync(api, users[0])).SequenceEqual(["Sales:ADMIN"]), "edit applied");
        var status = factory.Store.StatusFor("small")!;
        Assert.Equal(edited, status.Version);
        Assert.Null(status.Held);
        Assert.Equal(["Sales:ADMIN"], await MappingFactory.TeamsAsync(api, users[2]));
    }

    [Fact]
    public async Task A_first_file_that_would_deactivate_most_users_is_held_and_nobody_is_deactivated()
    {
        var api = new ScimApi(await factory.CreateOrganizationClientAsync("fresh"));
        var users = await CreateUsersAsync(api, "fresh", 20);
        await api.CreateGroupAsync("Sales Admins", users[0]);

        factory.WriteMapping("fresh.yaml", "unmappedUsers: deactivate\n" + Mapping("fresh", "Sales Admins"));
        var status = await HeldAsync("fresh");
        Assert.Null(status.Version);
        Assert.Contains("would deactivate 19 of 20 active users (limit 10:", status.Held!.Reason);
        Assert.Null(factory.Store.For("fresh"));
        foreach (var id in users)
        {
            var user = await api.ExpectAsync(HttpStatusCode.OK, api.GetAsync($"/Users/{id}"));
            Assert.True((bool)user["active"]!);
        }

        var refused = await AdminCli.RunAsync(factory, "mappings", "apply", "--org", "fresh");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("would deactivate 19 of 20 active users", refused.Output);
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ScimBridgeDbContext>();
        Assert.Equal(0, await db.Users.CountAsync(u => u.DeactivatedAt != null));
    }

    [Fact]
    public async Task Apply_names_what_is_missing_and_applies_nothing()
    {
        await factory.CreateOrganizationClientAsync("nofile");
        factory.WriteMapping("broken.yaml", "organization: nofile\nrules:\n  - group: { cn: sales }\n    team: Sales\n");

        var missing = await AdminCli.RunAsync(factory, "mappings", "apply", "--org", "nofile");
        var unknown = await AdminCli.RunAsync(factory, "mappings", "apply", "--org", "nowhere");

        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("No valid mapping file for organization 'nofile'", missing.Output);
        Assert.Contains("broken.yaml:3:5: rule 1: 'role' is missing", missing.Output);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("Unknown organization 'nowhere'. Known:", unknown.Error);
    }

    [Fact]
    public async Task After_a_restart_the_version_last_applied_stays_in_force_while_the_file_edited_meanwhile_is_held()
    {
        var folder = Path.Combine(Path.GetTempPath(), "scimbridge-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Path.Combine(folder, "mappings"));
        try
        {
            string group;
            var good = Mapping("restart", "Sales Admins");
            using (var before = new SameDataFactory(folder))
            {
                var api = new ScimApi(await before.CreateOrganizationClientAsync("restart"));
                await File.WriteAllTextAsync(Path.Combine(folder, "mappings", "restart.yaml"), good);
                await MappingFactory.EventuallyAsync(() => Task.FromResult(before.Services.GetRequiredService<MappingStore>().For("restart") is not null), "applied");
                group = ScimApi.Id(await api.CreateGroupAsync("Sales Admins", [.. await CreateUsersAsync(api, "restart", 12)]));
            }

            // Edited while the service was down: the typo would take Sales from all 12.
            await File.WriteAllTextAsync(Path.Combine(folder, "mappings", "restart.yaml"), Mapping("restart", "Sales Admin"));
            using var after = new SameDataFactory(folder);
            var again = new ScimApi(await after.CreateOrganizationClientAsync("restart"));
            var store = after.Services.GetRequiredService<MappingStore>();
            await MappingFactory.EventuallyAsync(() => Task.FromResult(store.StatusFor("restart")?.Held is not null), "typo held");
            Assert.Equal(MappingFileParser.VersionOf(good), store.StatusFor("restart")!.Version);

            var late = ScimApi.Id(await again.CreateUserAsync("late@restart.example"));
            await again.ExpectAsync(HttpStatusCode.NoContent, again.PatchAsync($"/Groups/{group}",
                $$"""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","path":"members","value":[{"value":"{{late}}"}]}]}"""));
            Assert.Equal(["Sales:ADMIN"], await MappingFactory.TeamsAsync(again, late));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            System.IO.Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>A service on a given data folder, so a second one can start where the first stopped.</summary>
    private sealed class SameDataFactory(string folder) : ScimBridgeFactory
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["ScimBridge:Database:ConnectionString"] = $"Data Source={Path.Combine(folder, "scimbridge.db")}",
            ["ScimBridge:Mappings:Path"] = Path.Combine(folder, "mappings"),
            ["ScimBridge:Mappings:DebounceMilliseconds"] = "100",
            ["ScimBridge:Mappings:PollSeconds"] = "1",
        };
    }

    private const string NightShiftRule = """

          - group: { displayName: "Night Shift" }
            team: Support
            role: MEMBER
        """;

    private static string Mapping(string organization, string group) => $$"""
        organization: {{organization}}
        createMissingTeams: true
        rules:
          - group: { displayName: "{{group}}" }
            team: Sales
            role: ADMIN
        """;

    private async Task<MappingFileStatus> HeldAsync(string organization)
    {
        await MappingFactory.EventuallyAsync(() => Task.FromResult(factory.Store.StatusFor(organization)?.Held is not null), $"{organization} held");
        return factory.Store.StatusFor(organization)!;
    }

    private static async Task<List<string>> CreateUsersAsync(ScimApi api, string organization, int count)
    {
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            ids.Add(ScimApi.Id(await api.CreateUserAsync($"user{i:00}@{organization}.example")));
        }

        return ids;
    }

    private async Task<List<Model.Audit.AuditEntry>> AuditAsync(string action, string fileName)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ScimBridgeDbContext>();
        return await db.AuditEntries.Where(a => a.Action == action && a.TargetId == fileName).ToListAsync();
    }
}

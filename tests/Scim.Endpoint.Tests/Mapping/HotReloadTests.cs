using System.Net;
using ScimBridge.Scim.Tests.Infrastructure;

namespace ScimBridge.Scim.Tests.Mapping;

public abstract class HotReloadTests<TFactory>(TFactory factory) : IClassFixture<TFactory>
    where TFactory : MappingFactory
{
    [Fact]
    public async Task Group_pushes_and_file_edits_change_memberships_live_and_a_bad_edit_changes_nothing()
    {
        var api = new ScimApi(await factory.CreateOrganizationClientAsync("hot"));
        factory.WriteMapping("hot.yaml", Mapping("Sales", "ADMIN"));
        await MappingFactory.EventuallyAsync(() => Task.FromResult(factory.Store.For("hot") is not null), "hot.yaml loaded");
        var ada = ScimApi.Id(await api.CreateUserAsync("ada@hot.example"));
        var bob = ScimApi.Id(await api.CreateUserAsync("bob@hot.example"));

        // Push: a group with Ada, then Bob added by PATCH.
        var group = ScimApi.Id(await api.CreateGroupAsync("Sales Admins", ada));
        Assert.Equal(["Sales:ADMIN"], await MappingFactory.TeamsAsync(api, ada));
        await api.ExpectAsync(HttpStatusCode.NoContent, api.PatchAsync($"/Groups/{group}",
            $$"""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","path":"members","value":[{"value":"{{bob}}"}]}]}"""));
        Assert.Equal(["Sales:ADMIN"], await MappingFactory.TeamsAsync(api, bob));

        // Edit the file: the same group now grants VIEWER in Support.
        factory.WriteMapping("hot.yaml", Mapping("Support", "VIEWER"));
        await MappingFactory.EventuallyAsync(async () => (await MappingFactory.TeamsAsync(api, ada)).SequenceEqual(["Support:VIEWER"]), "file edit applied");
        Assert.Equal(["Support:VIEWER"], await MappingFactory.TeamsAsync(api, bob));

        // A broken edit is rejected with its position and the previous version stays in force.
        factory.WriteMapping("hot.yaml", Mapping("Support", "BOSS"));
        await MappingFactory.EventuallyAsync(() => Task.FromResult(factory.Store.Statuses.Single(s => s.FileName == "hot.yaml").Errors.Count > 0), "bad edit rejected");
        var error = Assert.Single(factory.Store.Statuses.Single(s => s.FileName == "hot.yaml").Errors);
        Assert.Equal("hot.yaml:5:11: bad role 'BOSS' (expected one of: ADMIN, MEMBER, VIEWER)", error.ToString());
        await factory.WatcherRoundAsync();
        Assert.Equal(["Support:VIEWER"], await MappingFactory.TeamsAsync(api, ada));

        // Removing Bob from the group removes his derived membership only.
        await api.ExpectAsync(HttpStatusCode.NoContent, api.PatchAsync($"/Groups/{group}",
            $$"""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"remove","path":"members[value eq \"{{bob}}\"]"}]}"""));
        Assert.Empty(await MappingFactory.TeamsAsync(api, bob));
        Assert.Equal(["Support:VIEWER"], await MappingFactory.TeamsAsync(api, ada));
    }

    private static string Mapping(string team, string role) => $$"""
        organization: hot
        rules:
          - group: { displayName: "Sales Admins" }
            team: {{team}}
            role: {{role}}
        """;
}

public sealed class HotReloadTestsOnSqlite(MappingFactory factory) : HotReloadTests<MappingFactory>(factory);

public sealed class HotReloadTestsOnPostgres(PostgresMappingFactory factory) : HotReloadTests<PostgresMappingFactory>(factory);

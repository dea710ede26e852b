using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ScimBridge.Model.Persistence;
using ScimBridge.Model.Users;
using ScimBridge.Scim.Tests.Infrastructure;

namespace ScimBridge.Scim.Tests.Groups;

public abstract class GroupResourceTests<TFactory>(TFactory factory) : IClassFixture<TFactory>
    where TFactory : ScimBridgeFactory
{
    private async Task<ScimApi> ApiAsync() => new(await factory.CreateOrganizationClientAsync("groups-" + Guid.NewGuid().ToString("N")[..8]));

    private static string Members(string op, params string[] ids) =>
        new JsonObject
        {
            ["schemas"] = new JsonArray("urn:ietf:params:scim:api:messages:2.0:PatchOp"),
            ["Operations"] = new JsonArray(new JsonObject
            {
                ["op"] = op,
                ["path"] = "members",
                ["value"] = new JsonArray([.. ids.Select(id => (JsonNode)new JsonObject { ["value"] = id })]),
            }),
        }.ToJsonString();

    private static async Task<List<string>> MemberIdsAsync(ScimApi api, string groupId)
    {
        var group = await api.ExpectAsync(HttpStatusCode.OK, api.GetAsync($"/Groups/{groupId}"));
        return group["members"]?.AsArray().Select(m => (string)m!["value"]!).ToList() ?? [];
    }

    [Fact]
    public async Task Large_group_gets_500_more_members_in_one_patch_and_loses_exactly_one()
    {
        var api = await ApiAsync();
        var organizationId = await OrganizationOfAsync(api);
        var ids = await SeedUsersAsync(organizationId, 2_500);
        var created = await api.CreateGroupAsync("Everyone", [.. ids.Take(2_000)]);
        var groupId = ScimApi.Id(created);
        Assert.Equal(2_000, created["members"]!.AsArray().Count);

        await api.ExpectAsync(HttpStatusCode.NoContent, api.PatchAsync($"/Groups/{groupId}", Members("add", [.. ids.Skip(1_990).Take(510)])));
        Assert.Equal(2_500, (await MemberIdsAsync(api, groupId)).Count);

        await api.ExpectAsync(HttpStatusCode.NoContent, api.PatchAsync($"/Groups/{groupId}",
            $$"""{"Operations":[{"op":"remove","path":"members[value eq \"{{ids[42]}}\"]"}]}"""));

        var remaining = await MemberIdsAsync(api, groupId);
        Assert.Equal(2_499, remaining.Count);
        Assert.DoesNotContain(ids[42], remaining);
    }

    [Fact]
    public async Task Adding_an_existing_member_is_a_no_op_and_replace_sets_the_exact_list()
    {
        var api = await ApiAsync();
        var a = ScimApi.Id(await api.CreateUserAsync("a@example.org"));
        var b = ScimApi.Id(await api.CreateUserAsync("b@example.org"));
        var c = ScimApi.Id(await api.CreateUserAsync("c@example.org"));
        var groupId = ScimApi.Id(await api.CreateGroupAsync("Team", a, b));

        await api.ExpectAsync(HttpStatusCode.NoContent, api.PatchAsync($"/Groups/{groupId}", Members("Add", a)));
        Assert.Equal(new[] { a, b }.Order(), (await MemberIdsAsync(api, groupId)).Order());

        await api.ExpectAsync(HttpStatusCode.NoContent, api.PatchAsync($"/Groups/{groupId}", Members("replace", c)));
        Assert.Equal([c], await MemberIdsAsync(api, groupId));

        await api.ExpectAsync(HttpStatusCode.NoContent, api.PatchAsync($"/Groups/{groupId}", """{"Operations":[{"op":"remove","path":"members"}]}"""));
        Assert.Empty(await MemberIdsAsync(api, groupId));
    }

    [Fact]
    public async Task Nested_group_is_a_member_of_type_Group()
    {
        var api = await ApiAsync();
        var inner = ScimApi.Id(await api.CreateGroupAsync("Inner"));
        var outer = ScimApi.Id(await api.CreateGroupAsync("Outer", inner));

        var group = await api.ExpectAsync(HttpStatusCode.OK, api.GetAsync($"/Groups/{outer}"));

        var member = Assert.Single(group["members"]!.AsArray())!;
        Assert.Equal("Group", (string?)member["type"]);
        Assert.Equal("Inner", (string?)member["display"]);
        Assert.EndsWith($"/scim/v2/Groups/{inner}", (string?)member["$ref"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Patch_with_attributes_parameter_returns_the_group()
    {
        var api = await ApiAsync();
        var groupId = ScimApi.Id(await api.CreateGroupAsync("Before"));

        var group = await api.ExpectAsync(HttpStatusCode.OK, api.PatchAsync($"/Groups/{groupId}?attributes=displayName",
            """{"Operations":[{"op":"replace","path":"displayName","value":"After"}]}"""));

        Assert.Equal("After", (string?)group["displayName"]);
        Assert.Null(group["members"]);
        Assert.Null(group["meta"]);
        Assert.Equal(groupId, (string?)group["id"]);
    }

    [Fact]
    public async Task Put_renames_and_replaces_members()
    {
        var api = await ApiAsync();
        var a = ScimApi.Id(await api.CreateUserAsync("pa@example.org"));
        var b = ScimApi.Id(await api.CreateUserAsync("pb@example.org"));
        var groupId = ScimApi.Id(await api.CreateGroupAsync("Old", a));

        var group = await api.ExpectAsync(HttpStatusCode.OK, api.PutAsync($"/Groups/{groupId}",
            $$"""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"New","externalId":"x1","members":[{"value":"{{b}}"}]}"""));

        Assert.Equal("New", (string?)group["displayName"]);
        Assert.Equal("x1", (string?)group["externalId"]);
        Assert.Equal(b, (string?)Assert.Single(group["members"]!.AsArray())!["value"]);
    }

    [Theory]
    [InlineData("""{"Operations":[{"op":"move","path":"displayName","value":"x"}]}""", "invalidSyntax")]
    [InlineData("""{"Operations":[{"op":"replace","path":"members[value eq","value":"x"}]}""", "invalidPath")]
    [InlineData("""{"Operations":[{"op":"replace","path":"colour","value":"x"}]}""", "invalidPath")]
    [InlineData("""{"Operations":[{"op":"replace","path":"id","value":"x"}]}""", "mutability")]
    [InlineData("""{"Operations":[{"op":"remove"}]}""", "noTarget")]
    [InlineData("""{"Operations":[{"op":"add","path":"members","value":[{"value":"not-an-id"}]}]}""", "invalidValue")]
    [InlineData("""{"nothing":[]}""", "invalidSyntax")]
    public async Task Bad_group_patches_get_400_with_scimType(string body, string scimType)
    {
        var api = await ApiAsync();
        var groupId = ScimApi.Id(await api.CreateGroupAsync("Patched"));

        await api.ExpectErrorAsync(HttpStatusCode.BadRequest, scimType, api.PatchAsync($"/Groups/{groupId}", body));
    }

    [Fact]
    public async Task Excluded_members_are_left_out_of_lists_and_reads()
    {
        var api = await ApiAsync();
        var a = ScimApi.Id(await api.CreateUserAsync("ex@example.org"));
        var groupId = ScimApi.Id(await api.CreateGroupAsync("Excluded", a));

        var single = await api.ExpectAsync(HttpStatusCode.OK, api.GetAsync($"/Groups/{groupId}?excludedAttributes=members"));
        var list = await api.ExpectAsync(HttpStatusCode.OK, api.GetAsync("/Groups?excludedAttributes=members"));

        Assert.Null(single["members"]);
        Assert.Equal("Excluded", (string?)single["displayName"]);
        var listed = Assert.Single(list["Resources"]!.AsArray())!;
        Assert.Null(listed["members"]);
        Assert.NotNull(listed["meta"]);
    }

    private async Task<Guid> OrganizationOfAsync(ScimApi api)
    {
        var probe = await api.CreateUserAsync("probe-" + Guid.NewGuid().ToString("N") + "@example.org");
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ScimBridgeDbContext>();
        return await db.Users.Where(u => u.Id == Guid.Parse(ScimApi.Id(probe))).Select(u => u.OrganizationId).SingleAsync();
    }

    private async Task<List<string>> SeedUsersAsync(Guid organizationId, int count)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ScimBridgeDbContext>();
        var users = Enumerable.Range(0, count).Select(i =>
        {
            var user = new User { OrganizationId = organizationId, ManagedBy = ManagedBySources.Scim, CreatedAt = DateTimeOffset.UnixEpoch.AddSeconds(i) };
            user.Rename($"seeded{i}@example.org");
            return user;
        }).ToList();
        db.Users.AddRange(users);
        await db.SaveChangesAsync();
        return [.. users.Select(u => u.Id.ToString())];
    }
}

public sealed class GroupResourceTestsOnSqlite(ScimBridgeFactory factory) : GroupResourceTests<ScimBridgeFactory>(factory);

public sealed class GroupResourceTestsOnPostgres(PostgresScimBridgeFactory factory) : GroupResourceTests<PostgresScimBridgeFactory>(factory);

using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ScimBridge.Model;
using ScimBridge.Model.Audit;
using ScimBridge.Model.Persistence;
using ScimBridge.Model.Provisioning;
using ScimBridge.Model.Users;
using ScimBridge.Scim.Tests.Infrastructure;

namespace ScimBridge.Scim.Tests.Resources;

/// <summary>
/// Deep <c>startIndex</c> pages of the whole user list are read from anchors a thousand users apart: they must list
/// exactly what the list holds, also after users before the anchors were deleted (here or by another process) and
/// after new users joined.
/// </summary>
public abstract class DeepPageTests<TFactory>(TFactory factory) : IClassFixture<TFactory>
    where TFactory : ScimBridgeFactory
{
    private const int Users = 2_350;

    private static List<string> Ids(JsonObject list) => [.. list["Resources"]!.AsArray().Select(r => (string)r!["id"]!)];

    [Fact]
    public async Task Deep_pages_list_every_user_once_and_follow_deletions_before_them_and_new_users_after_them()
    {
        var slug = "deep-" + Guid.NewGuid().ToString("N")[..8];
        var api = new ScimApi(await factory.CreateOrganizationClientAsync(slug));
        await SeedAsync(slug);

        var expected = await CursorWalkAsync(api);
        Assert.Equal(Users, expected.Count);
        var byIndex = new List<string>();
        for (var start = 1; start <= Users; start += 100)
        {
            var page = await api.ExpectAsync(HttpStatusCode.OK, api.GetAsync($"/Users?startIndex={start}&count=100&attributes=userName"));
            Assert.Equal(Users, (int)page["totalResults"]!);
            byIndex.AddRange(Ids(page));
        }

        Assert.Equal(expected, byIndex);

        // Users before the anchors leave: two through SCIM, one by another process writing the database directly.
        await api.ExpectAsync(HttpStatusCode.NoContent, api.DeleteAsync($"/Users/{expected[4]}"));
        await api.ExpectAsync(HttpStatusCode.NoContent, api.DeleteAsync($"/Users/{expected[1_200]}"));
        await DeleteBehindTheServiceAsync(Guid.Parse(expected[2_001]));
        var (_, added) = (await api.CreateUserAsync("late-1@x.org"), await api.CreateUserAsync("late-2@x.org"));

        var now = await CursorWalkAsync(api);
        Assert.Equal(Users - 3 + 2, now.Count);
        Assert.Equal(ScimApi.Id(added), now[^1]);
        foreach (var start in new[] { 1_001, 1_999, 2_301 })
        {
            var page = await api.ExpectAsync(HttpStatusCode.OK, api.GetAsync($"/Users?startIndex={start}&count=100"));
            Assert.Equal(now.Count, (int)page["totalResults"]!);
            Assert.Equal(now.Skip(start - 1).Take(100), Ids(page));
        }
    }

    private static async Task<List<string>> CursorWalkAsync(ScimApi api)
    {
        var ids = new List<string>();
        string? cursor = "";
        while (cursor is not null)
        {
            var page = await api.ExpectAsync(HttpStatusCode.OK, api.GetAsync($"/Users?count=500&attributes=userName&cursor={Uri.EscapeDataString(cursor)}"));
            ids.AddRange(Ids(page));
            cursor = (string?)page["nextCursor"];
        }

        return ids;
    }

    private async Task SeedAsync(string slug)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ScimBridgeDbContext>();
        var organizationId = (await db.Organizations.SingleAsync(o => o.Slug == slug)).Id;
        var context = new ProvisioningContext(organizationId, AuditActor.CommandLine("test"), ManagedBySources.Manual);
        var users = scope.ServiceProvider.GetRequiredService<UserProvisioning>();
        foreach (var chunk in Enumerable.Range(0, Users).Chunk(500))
        {
            await users.CreateManyAsync([.. chunk.Select(i => new NewUser(EntityIds.New(), new UserProfile { UserName = $"deep{i}@x.org" }))], context, default);
        }
    }

    /// <summary>What another process (an admin command, a second instance) does: this service is not told.</summary>
    private async Task DeleteBehindTheServiceAsync(Guid userId)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ScimBridgeDbContext>();
        await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(s => s.SetProperty(u => u.DeletedAt, TimeProvider.System.GetUtcNow()));
    }
}

public sealed class DeepPageTestsOnSqlite(ScimBridgeFactory factory) : DeepPageTests<ScimBridgeFactory>(factory);

public sealed class DeepPageTestsOnPostgres(PostgresScimBridgeFactory factory) : DeepPageTests<PostgresScimBridgeFactory>(factory);

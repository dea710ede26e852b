using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ScimBridge.Model.Persistence;
using ScimBridge.Scim.Tests.Infrastructure;

namespace ScimBridge.Scim.Tests.Resources;

/// <summary>Cursor-based pagination (RFC 9865) on /Users, /Groups and their .search, beside index paging.</summary>
public abstract class CursorPagingTests<TFactory>(TFactory factory) : IClassFixture<TFactory>
    where TFactory : ScimBridgeFactory
{
    private async Task<(ScimApi Api, List<string> Ids)> ApiWithUsersAsync(int count)
    {
        var api = new ScimApi(await factory.CreateOrganizationClientAsync("cursor-" + Guid.NewGuid().ToString("N")[..8]));
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            ids.Add(ScimApi.Id(await api.CreateUserAsync($"c{i}@x.org")));
        }

        return (api, ids);
    }

    private static List<string> Ids(JsonObject list) => [.. list["Resources"]!.AsArray().Select(r => (string)r!["id"]!)];

    private static List<string?> UserNames(JsonObject list) => [.. list["Resources"]!.AsArray().Select(r => (string?)r!["userName"])];

    private static string Escape(string cursor) => Uri.EscapeDataString(cursor);

    /// <summary>Follows nextCursor from an empty cursor to the end; returns every page.</summary>
    private static async Task<List<JsonObject>> WalkAsync(ScimApi api, string path, int count, string extra = "")
    {
        var pages = new List<JsonObject>();
        var cursor = "";
        while (cursor is not null)
        {
            var page = await api.ExpectAsync(HttpStatusCode.OK, api.GetAsync($"{path}?count={count}&cursor={Escape(cursor)}{extra}"));
            pages.Add(page);
            cursor = (string?)page["nextCursor"];
            Assert.True(pages.Count < 100, "The walk does not end.");
        }

        return pages;
    }

    [Fact]
    public async Task A_cursor_walk_visits_every_user_once_in_creation_order_and_previousCursor_goes_back()
    {
        var (api, ids) = await ApiWithUsersAsync(7);

        var pages = await WalkAsync(api, "/Users", 3);

        Assert.Equal([3, 3, 1], pages.Select(p => (int)p["itemsPerPage"]!));
        Assert.Equal(ids, pages.SelectMany(Ids));
        Assert.All(pages, p => Assert.Equal(7, (int)p["totalResults"]!));
        Assert.All(pages, p => Assert.Null(p["startIndex"]));
        Assert.Null(pages[0]["previousCursor"]);
        Assert.Null(pages[2]["nextCursor"]);
        Assert.All(pages.Select(p => (string?)p["nextCursor"]).OfType<string>(), c => Assert.Matches("^[A-Za-z0-9._~-]+$", c));

        var back = await api.ExpectAsync(HttpStatusCode.OK, api.GetAsync($"/Users?count=3&cursor={Escape((string)pages[2]["previousCursor"]!)}"));
        Assert.Equal(Ids(pages[1]), Ids(back));
        var first = await api.ExpectAsync(HttpStatusCode.OK, api.GetAsync($"/Users?count=3&cursor={Escape((string)back["previousCursor"]!)}"));
        Assert.Equal(Ids(pages[0]), Ids(first));
        Assert.Null(first["previousCursor"]);
        Assert.Equal(Ids(pages[1]), Ids(await api.ExpectAsync(HttpStatusCode.OK, api.GetAsync($"/Users?count=3&cursor={Escape((string)first["nextCursor"]!)}"))));
    }

    [Fact]
    public async Task Users_created_at_the_same_instant_are_each_listed_once()
    {
        var (api, ids) = await ApiWithUsersAsync(5);
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ScimBridgeDbContext>();
            var guids = ids.Select(Guid.Parse).ToList();
            var instant = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
            await db.Users.Where(u => guids.Contains(u.Id)).ExecuteUpdateAsync(s => s.SetProperty(u => u.CreatedAt, instant));
        }

        var pages = await WalkAsync(api, "/Users", 2);
        var byIndex = await api.ExpectAsync(HttpStatusCode.OK, api.GetAsync("/Users?count=10"));

        Assert.Equal(5, pages.SelectMany(Ids).Distinct().Count());
        Assert.Equal(Ids(byIndex), pages.SelectMany(Ids));
    }

    [Fact]
    public async Task A_filter_and_a_sortBy_hold_across_cursor_pages_and_search_bodies_take_a_cursor_too()
    {
        var (api, _) = await ApiWithUsersAsync(6);

        var sorted = await WalkAsync(api, "/Users", 4, "&sortBy=userName&sortOrder=descending&filter=" + Uri.EscapeDataString("userName ne \"c0@x.org\""));
        var first = await api.ExpectAsync(HttpStatusCode.OK, api.PostAsync("/Users/.search", """{"cursor":"","count":2,"attributes":["userName"]}"""));
        var second = await api.ExpectAsync(HttpStatusCode.OK, api.PostAsync("/Users/.search",
            new JsonObject { ["cursor"] = (string)first["nextCursor"]!, ["count"] = 2, ["attributes"] = new JsonArray("userName") }.ToJsonString()));

        Assert.Equal(["c5@x.org", "c4@x.org", "c3@x.org", "c2@x.org", "c1@x.org"], sorted.SelectMany(UserNames));
        Assert.All(sorted, p => Assert.Equal(5, (int)p["totalResults"]!));
        Assert.Equal(["c0@x.org", "c1@x.org"], UserNames(first));
        Assert.Equal(["c2@x.org", "c3@x.org"], UserNames(second));
        Assert.Null(first["Resources"]![0]!["emails"]);
    }

    [Fact]
    public async Task Groups_page_by_cursor_like_users()
    {
        var (api, ids) = await ApiWithUsersAsync(1);
        var groups = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            groups.Add(ScimApi.Id(await api.CreateGroupAsync($"G{i}", ids[0])));
        }

        var pages = await WalkAsync(api, "/Groups", 2);
        var searched = await api.ExpectAsync(HttpStatusCode.OK, api.PostAsync("/Groups/.search", """{"cursor":"","count":5,"excludedAttributes":"members"}"""));

        Assert.Equal(groups, pages.SelectMany(Ids));
        Assert.Equal(ids[0], (string?)pages[0]["Resources"]![0]!["members"]![0]!["value"]);
        Assert.Equal(groups, Ids(searched));
        Assert.Null(searched["nextCursor"]);
        Assert.Null(searched["Resources"]![0]!["members"]);
    }

    [Fact]
    public async Task The_root_search_pages_users_then_groups_by_cursor()
    {
        var (api, ids) = await ApiWithUsersAsync(3);
        var group = ScimApi.Id(await api.CreateGroupAsync("Root", ids[0]));

        var first = await api.ExpectAsync(HttpStatusCode.OK, api.PostAsync("/.search", """{"cursor":"","count":2}"""));
        var second = await api.ExpectAsync(HttpStatusCode.OK, api.PostAsync("/.search",
            new JsonObject { ["cursor"] = (string)first["nextCursor"]!, ["count"] = 2 }.ToJsonString()));

        Assert.Equal(ids.Take(2), Ids(first));
        Assert.Equal([ids[2], group], Ids(second));
        Assert.Null(second["nextCursor"]);
        Assert.NotNull(second["previousCursor"]);
        Assert.Equal(4, (int)second["totalResults"]!);
    }

    [Fact]
    public async Task Bad_cursors_and_counts_are_refused_with_the_RFC_9865_error_types()
    {
        var (api, _) = await ApiWithUsersAsync(3);
        var sortedCursor = (string)(await api.ExpectAsync(HttpStatusCode.OK, api.GetAsync("/Users?count=1&cursor=&sortBy=userName")))["nextCursor"]!;
        var plainCursor = (string)(await api.ExpectAsync(HttpStatusCode.OK, api.GetAsync("/Users?count=1&cursor=")))["nextCursor"]!;

        await api.ExpectErrorAsync(HttpStatusCode.BadRequest, "invalidCursor", api.GetAsync("/Users?cursor=not-a-cursor"));
        await api.ExpectErrorAsync(HttpStatusCode.BadRequest, "invalidCursor", api.GetAsync("/Users?cursor=" + new string('A', 5000)));
        await api.ExpectErrorAsync(HttpStatusCode.BadRequest, "invalidCursor", api.GetAsync($"/Users?cursor={Escape(sortedCursor)}"));
        await api.ExpectErrorAsync(HttpStatusCode.BadRequest, "invalidCursor", api.GetAsync($"/Users?cursor={Escape(plainCursor)}&sortBy=userName"));
        await api.ExpectErrorAsync(HttpStatusCode.BadRequest, "invalidCursor", api.GetAsync($"/Groups?cursor={Escape(sortedCursor)}"));
        await api.ExpectErrorAsync(HttpStatusCode.BadRequest, "invalidCount", api.GetAsync("/Users?cursor=&count=0"));
        await api.ExpectErrorAsync(HttpStatusCode.BadRequest, "invalidValue", api.GetAsync("/Users?cursor=&startIndex=2"));
        await api.ExpectErrorAsync(HttpStatusCode.BadRequest, "invalidCursor", api.PostAsync("/Users/.search", """{"cursor":"%%%"}"""));
    }

    [Fact]
    public async Task ServiceProviderConfig_announces_cursor_and_index_pagination()
    {
        var (api, _) = await ApiWithUsersAsync(0);

        var config = await api.ExpectAsync(HttpStatusCode.OK, api.GetAsync("/ServiceProviderConfig"));

        var pagination = config["pagination"]!;
        Assert.True((bool)pagination["cursor"]!);
        Assert.True((bool)pagination["index"]!);
        Assert.Equal("index", (string?)pagination["defaultPaginationMethod"]);
        Assert.Equal(100, (int)pagination["defaultPageSize"]!);
        Assert.Equal(1000, (int)pagination["maxPageSize"]!);
    }
}

public sealed class CursorPagingTestsOnSqlite(ScimBridgeFactory factory) : CursorPagingTests<ScimBridgeFactory>(factory);

public sealed class CursorPagingTestsOnPostgres(PostgresScimBridgeFactory factory) : CursorPagingTests<PostgresScimBridgeFactory>(factory);

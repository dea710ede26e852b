using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ScimBridge.Model.Audit;
using ScimBridge.Model.Organizations;
using ScimBridge.Model.Persistence;
using ScimBridge.Scim.Tests.Infrastructure;

namespace ScimBridge.Scim.Tests.Users;

/// <summary>
/// An IdP pushes users many at a time, and concurrent creates are committed together. Each create must still succeed
/// or fail on its own: a taken userName or extension, or an insert the database refuses, fails that user alone.
/// </summary>
public abstract class ConcurrentUserCreateTests<TFactory>(TFactory factory) : IClassFixture<TFactory>
    where TFactory : ScimBridgeFactory
{
    protected TFactory Factory => factory;

    [Fact]
    public async Task Concurrent_creates_all_land_and_only_one_of_a_repeated_userName_wins()
    {
        var (api, organizationId) = await NewOrganizationAsync();
        var distinct = Enumerable.Range(0, 120).Select(i => Send(api, UserJson($"person{i}@example.org")));
        // The same name in other cases, sent at the same moment: the unique userName is case-insensitive.
        var repeated = Enumerable.Range(0, 12).Select(i => Send(api, UserJson(i % 2 == 0 ? "twin@example.org" : "TWIN@Example.org")));

        var results = await Task.WhenAll(distinct.Concat(repeated));

        Assert.All(results[..120], r => Assert.Equal(HttpStatusCode.Created, r.Status));
        var twins = results[120..];
        Assert.Single(twins, r => r.Status == HttpStatusCode.Created);
        Assert.All(twins.Where(r => r.Status != HttpStatusCode.Created), r =>
        {
            Assert.Equal(HttpStatusCode.Conflict, r.Status);
            Assert.Equal("uniqueness", (string?)r.Body["scimType"]);
        });

        foreach (var created in results.Where(r => r.Status == HttpStatusCode.Created).Take(10))
        {
            var read = await api.ExpectAsync(HttpStatusCode.OK, api.GetAsync($"/Users/{created.Body["id"]}"));
            Assert.Equal((string?)created.Body["userName"], (string?)read["userName"]);
            Assert.Equal((string?)created.Body["emails"]![0]!["value"], (string?)read["emails"]![0]!["value"]);
        }

        var listed = await api.ExpectAsync(HttpStatusCode.OK, api.GetAsync("/Users?count=1"));
        Assert.Equal(121, (int)listed["totalResults"]!);
        await AssertAuditAsync(organizationId, createdUsers: 121);
    }

    [Fact]
    public async Task Of_concurrent_creates_with_one_extension_only_one_gets_it()
    {
        var (api, _) = await NewOrganizationAsync();
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Send(api, UserJson($"caller{i}@example.org", extension: "4711"))));

        Assert.Single(results, r => r.Status == HttpStatusCode.Created);
        Assert.All(results.Where(r => r.Status != HttpStatusCode.Created), r =>
        {
            Assert.Equal(HttpStatusCode.Conflict, r.Status);
            Assert.Equal("uniqueness", (string?)r.Body["scimType"]);
            Assert.Contains("4711", (string?)r.Body["detail"], StringComparison.Ordinal);
        });
    }

    protected async Task<(ScimApi Api, Guid OrganizationId)> NewOrganizationAsync()
    {
        var slug = "creates-" + Guid.NewGuid().ToString("N")[..8];
        var api = new ScimApi(await factory.CreateOrganizationClientAsync(slug));
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ScimBridgeDbContext>();
        var organization = await db.Organizations.SingleAsync(o => o.Slug == Organization.NormalizeSlug(slug));
        return (api, organization.Id);
    }

    /// <summary>One user.created entry per created user, and an intact hash chain over all of them.</summary>
    protected async Task AssertAuditAsync(Guid organizationId, int createdUsers)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ScimBridgeDbContext>();
        var created = await db.AuditEntries.Where(a => a.OrganizationId == organizationId && a.Action == "user.created").Select(a => a.TargetId).ToListAsync();
        var users = await db.Users.Where(u => u.OrganizationId == organizationId).Select(u => u.Id).ToListAsync();
        Assert.Equal(createdUsers, created.Count);
        Assert.Equal(users.Select(id => id.ToString()).Order(), created.Order());

        var verification = await scope.ServiceProvider.GetRequiredService<AuditVerifier>().VerifyAsync(organizationId, CancellationToken.None);
        Assert.True(verification.Intact, $"Audit chain broken at entry {verification.FirstBrokenEntryId}");
        Assert.Equal(createdUsers, verification.EntriesChecked);
    }

    protected static async Task<(HttpStatusCode Status, JsonObject Body)> Send(ScimApi api, string json)
    {
        using var response = await api.PostAsync("/Users", json);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
    }

    protected static string UserJson(string userName, string? extension = null)
    {
        var user = new JsonObject
        {
            ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:User"),
            ["userName"] = userName,
            ["emails"] = new JsonArray(new JsonObject { ["value"] = userName, ["type"] = "work", ["primary"] = true }),
            ["phoneNumbers"] = new JsonArray(new JsonObject { ["value"] = "+49 30 1234", ["type"] = "work" }),
        };
        if (extension is not null)
        {
            user["urn:ietf:params:scim:schemas:extension:scimbridge:2.0:User"] = new JsonObject { ["extension"] = extension };
        }

        return user.ToJsonString();
    }
}

public sealed class ConcurrentUserCreateTestsOnSqlite(ScimBridgeFactory factory) : ConcurrentUserCreateTests<ScimBridgeFactory>(factory)
{
    [Fact]
    public async Task A_user_the_database_refuses_fails_alone_and_leaves_nothing_behind()
    {
        var (api, organizationId) = await NewOrganizationAsync();
        // A real refusal from SQLite in the middle of a transaction of other users: a trigger aborting one insert.
        await ExecuteAsync("CREATE TRIGGER refuse_one BEFORE INSERT ON Users WHEN NEW.NormalizedUserName = 'REFUSED@EXAMPLE.ORG' " +
                           "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END");
        try
        {
            var others = Enumerable.Range(0, 60).Select(i => Send(api, UserJson($"member{i}@example.org")));
            var results = await Task.WhenAll(others.Append(Send(api, UserJson("refused@example.org"))));

            Assert.All(results[..60], r => Assert.Equal(HttpStatusCode.Created, r.Status));
            Assert.Equal(HttpStatusCode.InternalServerError, results[60].Status);
            Assert.Equal("urn:ietf:params:scim:api:messages:2.0:Error", (string?)results[60].Body["schemas"]![0]);
        }
        finally
        {
            await ExecuteAsync("DROP TRIGGER refuse_one");
        }

        var refused = await api.ExpectAsync(HttpStatusCode.OK, api.GetAsync("/Users?filter=" + Uri.EscapeDataString("userName eq \"refused@example.org\"")));
        Assert.Equal(0, (int)refused["totalResults"]!);
        await AssertAuditAsync(organizationId, createdUsers: 60);

        // Nothing of the refused attempt is left to stand in the way of trying again.
        await api.CreateUserAsync("refused@example.org");
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(Factory.DataFolder, "scimbridge.db")};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}

public sealed class ConcurrentUserCreateTestsOnPostgres(PostgresScimBridgeFactory factory) : ConcurrentUserCreateTests<PostgresScimBridgeFactory>(factory);

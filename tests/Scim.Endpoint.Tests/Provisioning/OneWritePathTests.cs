using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ScimBridge.Model.Audit;
using ScimBridge.Model.Organizations;
using ScimBridge.Model.Persistence;
using ScimBridge.Model.Reconcile;
using ScimBridge.Model.Users;
using ScimBridge.Scim.Tests.Infrastructure;

namespace ScimBridge.Scim.Tests.Provisioning;

/// <summary>
/// An identity provider's push and a directory sync end in the same provisioning operations: the same change made
/// both ways leaves audit entries with the same actions and the same payload shapes.
/// </summary>
public abstract class OneWritePathTests<TFactory>(TFactory factory) : IClassFixture<TFactory>
    where TFactory : ScimBridgeFactory
{
    private const string Source = "corp";

    [Fact]
    public async Task The_same_changes_by_SCIM_and_by_a_sync_source_are_audited_alike()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var scim = await ChangeBySCIMAsync("push-" + suffix);
        var sync = await ChangeBySyncAsync("pull-" + suffix);

        Assert.Equal(
            ["group.created", "group.members.added", "group.members.removed", "user.created", "user.deactivated", "user.updated"],
            scim.Select(e => e.Action).Order());
        Assert.Equal(scim.Select(e => e.Action).Order(), sync.Select(e => e.Action).Order());
        foreach (var action in scim.Select(e => e.Action))
        {
            var pushed = scim.Single(e => e.Action == action);
            var pulled = sync.Single(e => e.Action == action);
            Assert.Equal((action, pushed.TargetType, Shape(pushed.Before), Shape(pushed.After)), (action, pulled.TargetType, Shape(pulled.Before), Shape(pulled.After)));
        }
    }

    private async Task<List<AuditEntry>> ChangeBySCIMAsync(string slug)
    {
        var api = new ScimApi(await factory.CreateOrganizationClientAsync(slug));
        var user = ScimApi.Id(await api.ExpectAsync(HttpStatusCode.Created, api.PostAsync("/Users",
            """{"userName":"ada@example.org","displayName":"Ada"}""")));
        var group = ScimApi.Id(await api.ExpectAsync(HttpStatusCode.Created, api.PostAsync("/Groups", """{"displayName":"Engineering","externalId":"g1"}""")));
        await api.ExpectAsync(HttpStatusCode.NoContent, Patch(api, "/Groups/" + group, $$"""[{"op":"add","path":"members","value":[{"value":"{{user}}"}]}]"""));
        await api.ExpectAsync(HttpStatusCode.OK, Patch(api, "/Users/" + user, """[{"op":"replace","path":"userName","value":"ada.lovelace@example.org"}]"""));
        await api.ExpectAsync(HttpStatusCode.NoContent, Patch(api, "/Groups/" + group, $$"""[{"op":"remove","path":"members[value eq \"{{user}}\"]"}]"""));
        await api.ExpectAsync(HttpStatusCode.OK, Patch(api, "/Users/" + user, """[{"op":"replace","path":"active","value":false}]"""));
        return await EntriesAsync(slug);
    }

    private async Task<List<AuditEntry>> ChangeBySyncAsync(string slug)
    {
        await factory.CreateOrganizationClientAsync(slug);
        var ada = new UserProfile { UserName = "ada@example.org", DisplayName = "Ada" };
        var engineering = new SourceGroup("g1", "Engineering");
        await ReconcileAsync(slug, [new SourceUser("u1", ada, Enabled: true)], [engineering]);
        await ReconcileAsync(slug, [new SourceUser("u1", ada, Enabled: true)], [engineering with { MemberUserKeys = ["u1"] }]);
        var renamed = ada with { UserName = "ada.lovelace@example.org" };
        await ReconcileAsync(slug, [new SourceUser("u1", renamed, Enabled: true)], [engineering with { MemberUserKeys = ["u1"] }]);
        await ReconcileAsync(slug, [new SourceUser("u1", renamed, Enabled: true)], [engineering]);
        await ReconcileAsync(slug, [new SourceUser("u1", renamed, Enabled: false)], [engineering]);
        return await EntriesAsync(slug);
    }

    private async Task ReconcileAsync(string slug, IReadOnlyList<SourceUser> users, IReadOnlyList<SourceGroup> groups)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ScimBridgeDbContext>();
        var organization = await db.Organizations.SingleAsync(o => o.Slug == Organization.NormalizeSlug(slug));
        var request = new ReconcileRequest(organization.Id, Source, AuditActor.SyncRun(Source, 1), new DeactivationPolicy(100, 1000));
        var outcome = await scope.ServiceProvider.GetRequiredService<DirectoryReconciler>()
            .ReconcileAsync(request, new DirectorySnapshot { IsFull = true, Users = users, Groups = groups }, default);
        Assert.True(outcome.Applied, string.Join("; ", outcome.Plan.Errors.Append(outcome.Verdict.Reason ?? "")));
    }

    private async Task<List<AuditEntry>> EntriesAsync(string slug)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ScimBridgeDbContext>();
        var organization = await db.Organizations.SingleAsync(o => o.Slug == Organization.NormalizeSlug(slug));
        return await db.AuditEntries.AsNoTracking()
            .Where(a => a.OrganizationId == organization.Id && (a.TargetType == "user" || a.TargetType == "group"))
            .OrderBy(a => a.Id)
            .ToListAsync();
    }

    private static Task<HttpResponseMessage> Patch(ScimApi api, string path, string operations) =>
        api.PatchAsync(path, $$"""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":{{operations}}}""");

    /// <summary>The property names of a payload, nested objects included, e.g. <c>name.givenName</c>; "-" for none.</summary>
    private static string Shape(string? json)
    {
        if (json is null)
        {
            return "-";
        }

        var names = new List<string>();
        Collect(JsonNode.Parse(json), "", names);
        return string.Join(",", names.Order(StringComparer.Ordinal));
    }

    private static void Collect(JsonNode? node, string prefix, List<string> names)
    {
        if (node is JsonObject obj)
        {
            foreach (var (name, value) in obj)
            {
                names.Add(prefix + name);
                Collect(value, prefix + name + ".", names);
            }
        }
    }
}

public sealed class OneWritePathTestsOnSqlite(ScimBridgeFactory factory) : OneWritePathTests<ScimBridgeFactory>(factory);

public sealed class OneWritePathTestsOnPostgres(PostgresScimBridgeFactory factory) : OneWritePathTests<PostgresScimBridgeFactory>(factory);

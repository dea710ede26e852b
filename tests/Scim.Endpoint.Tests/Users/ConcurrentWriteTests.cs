using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using ScimBridge.Scim.Tests.Infrastructure;

namespace ScimBridge.Scim.Tests.Users;

/// <summary>
/// Many clients writing one resource at once: the version check and the write are one step, so a write that answered
/// 2xx is never silently overwritten, and writes without If-Match are applied to the resource as it is when they land.
/// </summary>
public abstract class ConcurrentWriteTests<TFactory>(TFactory factory) : IClassFixture<TFactory>
    where TFactory : ScimBridgeFactory
{
    private const int Writers = 8;
    private const int Rounds = 6;

    private async Task<ScimApi> ApiAsync() => new(await factory.CreateOrganizationClientAsync("race-" + Guid.NewGuid().ToString("N")[..8]));

    /// <summary>A user with no multi-valued attributes, the shape that used to lose writes.</summary>
    private static async Task<string> PlainUserAsync(ScimApi api) =>
        ScimApi.Id(await api.ExpectAsync(HttpStatusCode.Created, api.PostAsync("/Users",
            """{"userName":"race@example.org","displayName":"Race","title":"start"}""")));

    private static Task<HttpResponseMessage> Patch(ScimApi api, string path, string operations, string? ifMatch = null) =>
        api.SendAsync(HttpMethod.Patch, path, $$"""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":{{operations}}}""",
            request =>
            {
                if (ifMatch is not null)
                {
                    request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
                }
            });

    [Fact]
    public async Task Eight_If_Match_writers_lose_nothing_and_no_two_successes_share_an_ETag()
    {
        var api = await ApiAsync();
        var id = await PlainUserAsync(api);
        var successes = new ConcurrentBag<(string ETag, string Title)>();

        await Task.WhenAll(Enumerable.Range(0, Writers).Select(writer => Task.Run(async () =>
        {
            for (var round = 0; round < Rounds; round++)
            {
                using var read = await api.GetAsync("/Users/" + id);
                var etag = read.Headers.ETag!.ToString();
                var user = JsonNode.Parse(await read.Content.ReadAsStringAsync())!.AsObject();
                var title = $"writer {writer} round {round}";
                HttpResponseMessage written;
                if (writer % 2 == 0)
                {
                    written = await Patch(api, "/Users/" + id, $$"""[{"op":"replace","path":"title","value":"{{title}}"}]""", etag);
                }
                else
                {
                    user["title"] = title;
                    written = await api.SendAsync(HttpMethod.Put, "/Users/" + id, user.ToJsonString(),
                        request => request.Headers.TryAddWithoutValidation("If-Match", etag));
                }

                using (written)
                {
                    Assert.True(written.StatusCode is HttpStatusCode.OK or HttpStatusCode.PreconditionFailed,
                        $"{(int)written.StatusCode}: {await written.Content.ReadAsStringAsync()}");
                    if (written.StatusCode == HttpStatusCode.OK)
                    {
                        successes.Add((written.Headers.ETag!.ToString(), title));
                    }
                }
            }
        })));

        var final = await api.ExpectAsync(HttpStatusCode.OK, api.GetAsync("/Users/" + id));
        Assert.NotEmpty(successes);
        Assert.Equal(successes.Count, successes.Select(s => s.ETag).Distinct().Count());

        // Every success moved the version by exactly one from the version its writer read: none overwrote another unseen.
        Assert.Equal(1 + successes.Count, Version((string)final["meta"]!["version"]!));
        var last = successes.MaxBy(s => Version(s.ETag));
        Assert.Equal(last.Title, (string?)final["title"]);
    }

    [Fact]
    public async Task Concurrent_PATCHes_without_If_Match_keep_each_others_attributes()
    {
        var api = await ApiAsync();
        var id = await PlainUserAsync(api);
        string[] attributes = ["title", "nickName", "displayName", "profileUrl", "userType", "preferredLanguage", "locale", "timezone"];

        var responses = await Task.WhenAll(attributes.Select(attribute => Task.Run(async () =>
        {
            using var response = await Patch(api, "/Users/" + id, $$"""[{"op":"replace","path":"{{attribute}}","value":"set-{{attribute}}"}]""");
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        })));

        Assert.All(responses, r => Assert.True(r.StatusCode == HttpStatusCode.OK, r.Body));
        var final = await api.ExpectAsync(HttpStatusCode.OK, api.GetAsync("/Users/" + id));
        Assert.All(attributes, attribute => Assert.Equal("set-" + attribute, (string?)final[attribute]));
        Assert.Equal(1 + attributes.Length, Version((string)final["meta"]!["version"]!));
    }

    [Fact]
    public async Task Concurrent_removes_and_adds_of_one_member_all_succeed()
    {
        var api = await ApiAsync();
        var user = await PlainUserAsync(api);
        var group = ScimApi.Id(await api.CreateGroupAsync("Racers", user));

        var removes = await Task.WhenAll(Enumerable.Range(0, Writers).Select(_ => Task.Run(async () =>
        {
            using var response = await Patch(api, "/Groups/" + group, $$"""[{"op":"remove","path":"members[value eq \"{{user}}\"]"}]""");
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        })));
        Assert.All(removes, r => Assert.True(r.StatusCode == HttpStatusCode.NoContent, r.Body));
        Assert.Empty((await api.ExpectAsync(HttpStatusCode.OK, api.GetAsync("/Groups/" + group)))["members"]?.AsArray() ?? []);

        var adds = await Task.WhenAll(Enumerable.Range(0, Writers).Select(_ => Task.Run(async () =>
        {
            using var response = await Patch(api, "/Groups/" + group, $$"""[{"op":"add","path":"members","value":[{"value":"{{user}}"}]}]""");
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        })));
        Assert.All(adds, r => Assert.True(r.StatusCode == HttpStatusCode.NoContent, r.Body));
        var members = (await api.ExpectAsync(HttpStatusCode.OK, api.GetAsync("/Groups/" + group)))["members"]!.AsArray();
        Assert.Equal(user, (string?)Assert.Single(members)!["value"]);
    }

    private static int Version(string etag) => int.Parse(etag.Replace("W/", "", StringComparison.Ordinal).Trim('"'), System.Globalization.CultureInfo.InvariantCulture);
}

public sealed class ConcurrentWriteTestsOnSqlite(ScimBridgeFactory factory) : ConcurrentWriteTests<ScimBridgeFactory>(factory);

public sealed class ConcurrentWriteTestsOnPostgres(PostgresScimBridgeFactory factory) : ConcurrentWriteTests<PostgresScimBridgeFactory>(factory);

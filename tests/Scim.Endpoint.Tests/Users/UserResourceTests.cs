using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ScimBridge.Model.Persistence;
using ScimBridge.Scim.Tests.Infrastructure;

namespace ScimBridge.Scim.Tests.Users;

public abstract class UserResourceTests<TFactory>(TFactory factory) : IClassFixture<TFactory>
    where TFactory : ScimBridgeFactory
{
    private const string Platform = "urn:ietf:params:scim:schemas:extension:scimbridge:2.0:User";

    private async Task<ScimApi> ApiAsync() => new(await factory.CreateOrganizationClientAsync("users-" + Guid.NewGuid().ToString("N")[..8]));

    [Fact]
    public async Task Created_user_has_meta_location_etag_and_platform_fields()
    {
        var api = await ApiAsync();
        var body = """
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:scimbridge:2.0:User"],
             "userName":"meta@example.org",
             "urn:ietf:params:scim:schemas:extension:scimbridge:2.0:User":{"extension":"1234","subscriptionTier":"Standard","teams":[{"value":"x"}],"state":"active"}}
            """;
        using var response = await api.PostAsync("/Users", body);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("application/scim+json", response.Content.Headers.ContentType?.MediaType);
        var json = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var id = (string)json["id"]!;
        Assert.Equal($"http://localhost/scim/v2/Users/{id}", response.Headers.Location?.ToString());
        Assert.Equal("W/\"1\"", response.Headers.ETag?.ToString());
        Assert.Equal("User", (string?)json["meta"]!["resourceType"]);
        Assert.Equal("W/\"1\"", (string?)json["meta"]!["version"]);
        Assert.Equal(response.Headers.Location?.ToString(), (string?)json["meta"]!["location"]);
        Assert.Equal("1234", (string?)json[Platform]!["extension"]);
        Assert.Equal("Standard", (string?)json[Platform]!["subscriptionTier"]);
        Assert.Equal("prepared", (string?)json[Platform]!["state"]);
        Assert.Equal("scim", (string?)json[Platform]!["managedBy"]);
        Assert.Null(json[Platform]!["teams"]);
    }

    [Fact]
    public async Task Duplicate_userName_in_any_case_gets_409_uniqueness()
    {
        var api = await ApiAsync();
        await api.CreateUserAsync("dup@example.org");

        await api.ExpectErrorAsync(HttpStatusCode.Conflict, "uniqueness",
            api.PostAsync("/Users", """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"DUP@example.org"}"""));
    }

    [Theory]
    [InlineData("{\"userName\": ", "invalidSyntax")]
    [InlineData("[1,2]", "invalidSyntax")]
    [InlineData("{\"userName\":\"a@example.org\",\"emails\":[{\"value\":\"a b@example.org\"}]}", "invalidValue")]
    [InlineData("{\"userName\":\"a@example.org\",\"active\":\"maybe\"}", "invalidValue")]
    [InlineData("{\"displayName\":\"no user name\"}", "invalidValue")]
    public async Task Bad_create_bodies_get_400_with_scimType(string body, string scimType)
    {
        var api = await ApiAsync();

        await api.ExpectErrorAsync(HttpStatusCode.BadRequest, scimType, api.PostAsync("/Users", body));
    }

    [Fact]
    public async Task Body_sent_as_application_json_is_accepted()
    {
        var api = await ApiAsync();
        using var content = new StringContent("""{"userName":"plain-json@example.org"}""", Encoding.UTF8, "application/json");

        using var response = await api.Client.PostAsync("/scim/v2/Users", content);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Body_over_the_payload_limit_gets_413_also_when_chunked()
    {
        var api = await ApiAsync();
        var big = "{\"userName\":\"big@example.org\",\"displayName\":\"" + new string('x', 5 * 1024 * 1024) + "\"}";

        await api.ExpectErrorAsync(HttpStatusCode.RequestEntityTooLarge, null, api.PostAsync("/Users", big));

        var chunked = new HttpRequestMessage(HttpMethod.Post, "/scim/v2/Users")
        {
            Content = new UnknownLengthContent(Encoding.UTF8.GetBytes(big)),
        };
        chunked.Content.Headers.ContentType = new MediaTypeHeaderValue("application/scim+json");
        chunked.Headers.TransferEncodingChunked = true;
        await api.ExpectErrorAsync(HttpStatusCode.RequestEntityTooLarge, null, api.Client.SendAsync(chunked));
    }

    [Fact]
    public async Task Put_replaces_the_whole_user_and_clears_omitted_attributes()
    {
        var api = await ApiAsync();
        var id = ScimApi.Id(await api.CreateUserAsync("put@example.org"));

        var replaced = await api.ExpectAsync(HttpStatusCode.OK, api.PutAsync($"/Users/{id}",
            """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"put@example.org","displayName":"Put","active":true}"""));

        Assert.Equal("Put", (string?)replaced["displayName"]);
        Assert.Null(replaced["emails"]);
        Assert.Null(replaced["name"]);
        Assert.Equal("W/\"2\"", (string?)replaced["meta"]!["version"]);
    }

    [Fact]
    public async Task Put_with_another_id_gets_400_mutability()
    {
        var api = await ApiAsync();
        var id = ScimApi.Id(await api.CreateUserAsync("mut@example.org"));

        await api.ExpectErrorAsync(HttpStatusCode.BadRequest, "mutability",
            api.PutAsync($"/Users/{id}", $$"""{"id":"{{Guid.NewGuid()}}","userName":"mut@example.org"}"""));
    }

    [Fact]
    public async Task Unknown_or_malformed_id_gets_404()
    {
        var api = await ApiAsync();

        await api.ExpectErrorAsync(HttpStatusCode.NotFound, null, api.GetAsync($"/Users/{Guid.NewGuid()}"));
        await api.ExpectErrorAsync(HttpStatusCode.NotFound, null, api.GetAsync("/Users/not-an-id"));
        await api.ExpectErrorAsync(HttpStatusCode.NotFound, null, api.PatchAsync($"/Users/{Guid.NewGuid()}", """{"Operations":[]}"""));
        await api.ExpectErrorAsync(HttpStatusCode.NotFound, null, api.DeleteAsync($"/Users/{Guid.NewGuid()}"));
    }

    [Fact]
    public async Task Deleted_user_answers_404_but_the_row_stays()
    {
        var api = await ApiAsync();
        var id = ScimApi.Id(await api.CreateUserAsync("gone@example.org"));

        await api.ExpectAsync(HttpStatusCode.NoContent, api.DeleteAsync($"/Users/{id}"));

        await api.ExpectErrorAsync(HttpStatusCode.NotFound, null, api.GetAsync($"/Users/{id}"));
        var list = await api.ExpectAsync(HttpStatusCode.OK, api.GetAsync("/Users"));
        Assert.Equal(0, (int)list["totalResults"]!);
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ScimBridgeDbContext>();
        var row = await db.Users.SingleAsync(u => u.Id == Guid.Parse(id));
        Assert.NotNull(row.DeletedAt);
        Assert.False(row.Active);
        Assert.Contains(await db.AuditEntries.Where(a => a.TargetId == id).Select(a => a.Action).ToListAsync(), a => a == "user.deleted");
    }

    [Fact]
    public async Task Deactivation_through_patch_is_audited_with_before_and_after()
    {
        var api = await ApiAsync();
        var id = ScimApi.Id(await api.CreateUserAsync("audited@example.org"));

        await api.ExpectAsync(HttpStatusCode.OK, api.PatchAsync($"/Users/{id}", """{"Operations":[{"op":"replace","path":"active","value":false}]}"""));

        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ScimBridgeDbContext>();
        var entry = await db.AuditEntries.Where(a => a.TargetId == id && a.Action == "user.deactivated").SingleAsync();
        Assert.Equal("scim:test-client", entry.Actor);
        Assert.Contains("\"active\":true", entry.Before, StringComparison.Ordinal);
        Assert.Contains("\"active\":false", entry.After, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Etag_if_none_match_gives_304_and_if_match_mismatch_gives_412()
    {
        var api = await ApiAsync();
        var id = ScimApi.Id(await api.CreateUserAsync("etag@example.org"));

        using var notModified = await api.SendAsync(HttpMethod.Get, $"/Users/{id}", configure: r => r.Headers.TryAddWithoutValidation("If-None-Match", "W/\"1\""));
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);

        const string patch = """{"Operations":[{"op":"replace","path":"displayName","value":"x"}]}""";
        await api.ExpectErrorAsync(HttpStatusCode.PreconditionFailed, null,
            api.SendAsync(HttpMethod.Patch, $"/Users/{id}", patch, r => r.Headers.TryAddWithoutValidation("If-Match", "W/\"7\"")));
        await api.ExpectErrorAsync(HttpStatusCode.PreconditionFailed, null,
            api.SendAsync(HttpMethod.Put, $"/Users/{id}", """{"userName":"etag@example.org"}""", r => r.Headers.TryAddWithoutValidation("If-Match", "W/\"7\"")));
        await api.ExpectErrorAsync(HttpStatusCode.PreconditionFailed, null,
            api.SendAsync(HttpMethod.Delete, $"/Users/{id}", configure: r => r.Headers.TryAddWithoutValidation("If-Match", "W/\"7\"")));

        using var matched = await api.SendAsync(HttpMethod.Patch, $"/Users/{id}", patch, r => r.Headers.TryAddWithoutValidation("If-Match", "W/\"1\""));
        Assert.Equal(HttpStatusCode.OK, matched.StatusCode);
        Assert.Equal("W/\"2\"", matched.Headers.ETag?.ToString());

        using var changed = await api.SendAsync(HttpMethod.Get, $"/Users/{id}", configure: r => r.Headers.TryAddWithoutValidation("If-None-Match", "W/\"1\""));
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
    }

    /// <summary>A body whose length is not announced, as a chunked upload is.</summary>
    private sealed class UnknownLengthContent(byte[] data) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) => stream.WriteAsync(data).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}

public sealed class UserResourceTestsOnSqlite(ScimBridgeFactory factory) : UserResourceTests<ScimBridgeFactory>(factory);

public sealed class UserResourceTestsOnPostgres(PostgresScimBridgeFactory factory) : UserResourceTests<PostgresScimBridgeFactory>(factory);

using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ScimBridge.Scim.Tests.Infrastructure;

namespace ScimBridge.Scim.Tests.Hardening;

/// <summary>Requests meant to crash or corrupt the service get a SCIM 400, and the service keeps answering.</summary>
public abstract class HostileInputTests<TFactory>(TFactory factory) : IClassFixture<TFactory>
    where TFactory : ScimBridgeFactory
{
    private async Task<ScimApi> ApiAsync() =>
        new(await factory.CreateOrganizationClientAsync("hostile-" + Guid.NewGuid().ToString("N")[..8]));

    private static string Search(string filter) => new JsonObject
    {
        ["schemas"] = new JsonArray("urn:ietf:params:scim:api:messages:2.0:SearchRequest"),
        ["filter"] = filter,
    }.ToJsonString();

    private static string Patch(string path, JsonNode? value) => new JsonObject
    {
        ["schemas"] = new JsonArray("urn:ietf:params:scim:api:messages:2.0:PatchOp"),
        ["Operations"] = new JsonArray(new JsonObject { ["op"] = "replace", ["path"] = path, ["value"] = value }),
    }.ToJsonString();

    private static async Task<string> DetailAsync(ScimApi api, HttpStatusCode status, string scimType, Task<HttpResponseMessage> sending)
    {
        using var response = await sending;
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status}, got {(int)response.StatusCode}: {text[..Math.Min(text.Length, 500)]}");
        Assert.Equal("application/scim+json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonNode.Parse(text)!;
        Assert.Equal(scimType, (string?)body["scimType"]);
        return (string)body["detail"]!;
    }

    [Fact]
    public async Task Deeply_nested_filters_and_paths_get_400_naming_the_limit_and_the_service_keeps_answering()
    {
        var api = await ApiAsync();
        var user = await api.CreateUserAsync("nest@example.org");
        var group = await api.CreateGroupAsync("Nested", ScimApi.Id(user));
        var parentheses = new string('(', 10_000) + "userName pr" + new string(')', 10_000);
        var nots = string.Concat(Enumerable.Repeat("not (", 10_000)) + "userName pr" + new string(')', 10_000);
        var terms = string.Join(" and ", Enumerable.Repeat("userName eq \"a\"", 10_000));
        var orTerms = string.Join(" or ", Enumerable.Repeat("displayName eq \"a\"", 10_000));

        Assert.Contains("50", await DetailAsync(api, HttpStatusCode.BadRequest, "invalidFilter", api.PostAsync("/Users/.search", Search(parentheses))));
        Assert.Contains("50", await DetailAsync(api, HttpStatusCode.BadRequest, "invalidFilter", api.PostAsync("/Users/.search", Search(nots))));
        Assert.Contains("200", await DetailAsync(api, HttpStatusCode.BadRequest, "invalidFilter", api.PostAsync("/Users/.search", Search(terms))));
        Assert.Contains("50", await DetailAsync(api, HttpStatusCode.BadRequest, "invalidFilter", api.PostAsync("/Groups/.search", Search(parentheses))));
        Assert.Contains("200", await DetailAsync(api, HttpStatusCode.BadRequest, "invalidFilter", api.PostAsync("/Groups/.search", Search(orTerms))));
        Assert.Contains("200", await DetailAsync(api, HttpStatusCode.BadRequest, "invalidFilter", api.PostAsync("/.search", Search(terms))));
        Assert.Contains("50", await DetailAsync(api, HttpStatusCode.BadRequest, "invalidPath",
            api.PatchAsync($"/Users/{ScimApi.Id(user)}", Patch("emails[" + parentheses + "]", "x@example.org"))));
        Assert.Contains("50", await DetailAsync(api, HttpStatusCode.BadRequest, "invalidPath",
            api.PatchAsync($"/Groups/{ScimApi.Id(group)}", Patch("members[" + parentheses.Replace("userName", "value", StringComparison.Ordinal) + "]", null))));
        var deepJson = new string('[', 10_000) + new string(']', 10_000);
        await DetailAsync(api, HttpStatusCode.BadRequest, "invalidSyntax", api.PostAsync("/Users", $$"""{"userName":"deep@example.org","x":{{deepJson}}}"""));

        // Limits are generous enough for what clients send, and the service still answers.
        var fine = await api.ExpectAsync(HttpStatusCode.OK, api.PostAsync("/Users/.search",
            Search("((userName eq \"nest@example.org\") and not (title pr))")));
        Assert.Equal(1, (int)fine["totalResults"]!);
        await api.ExpectAsync(HttpStatusCode.OK, api.GetAsync("/Users?filter=" + Uri.EscapeDataString("userName eq \"nest@example.org\"")));
    }

    [Theory]
    [InlineData("""{"userName":"dup@example.org","userName":"other@example.org"}""")]
    [InlineData("""{"userName":"dup@example.org","USERNAME":"other@example.org"}""")]
    [InlineData("""{"userName":"surrogate\ud800x@example.org"}""")]
    [InlineData("""{"userName":"s@example.org","name":{"givenName":"\udc00"}}""")]
    public async Task Ambiguous_or_invalid_JSON_text_gets_400_invalidSyntax_on_every_write_and_search(string body)
    {
        var api = await ApiAsync();
        var id = ScimApi.Id(await api.CreateUserAsync("json@example.org"));
        var patch = $$"""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{{body}}}]}""";
        var search = body.Replace("userName", "filter", StringComparison.OrdinalIgnoreCase);

        await api.ExpectErrorAsync(HttpStatusCode.BadRequest, "invalidSyntax", api.PostAsync("/Users", body));
        await api.ExpectErrorAsync(HttpStatusCode.BadRequest, "invalidSyntax", api.PutAsync($"/Users/{id}", body));
        await api.ExpectErrorAsync(HttpStatusCode.BadRequest, "invalidSyntax", api.PatchAsync($"/Users/{id}", patch));
        await api.ExpectErrorAsync(HttpStatusCode.BadRequest, "invalidSyntax", api.PostAsync("/Users/.search", search));
        await api.ExpectErrorAsync(HttpStatusCode.BadRequest, "invalidSyntax", api.PostAsync("/Groups/.search", search));
    }

    [Fact]
    public async Task Bytes_that_are_not_UTF8_get_400_invalidSyntax()
    {
        var api = await ApiAsync();
        var id = ScimApi.Id(await api.CreateUserAsync("bytes@example.org"));
        byte[] Body(string before, string after) => [.. Encoding.UTF8.GetBytes(before), 0xC3, 0x28, 0xFF, .. Encoding.UTF8.GetBytes(after)];
        Task<HttpResponseMessage> Send(HttpMethod method, string path, byte[] bytes) => api.SendAsync(method, path, configure: request =>
        {
            request.Content = new ByteArrayContent(bytes);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/scim+json");
        });

        await api.ExpectErrorAsync(HttpStatusCode.BadRequest, "invalidSyntax", Send(HttpMethod.Post, "/Users", Body("""{"userName":"a""", """@example.org"}""")));
        await api.ExpectErrorAsync(HttpStatusCode.BadRequest, "invalidSyntax", Send(HttpMethod.Put, $"/Users/{id}", Body("""{"userName":"a""", """@example.org"}""")));
        await api.ExpectErrorAsync(HttpStatusCode.BadRequest, "invalidSyntax", Send(HttpMethod.Patch, $"/Users/{id}",
            Body("{\"Operations\":[{\"op\":\"replace\",\"path\":\"title\",\"value\":\"a", "\"}]}")));
        await api.ExpectErrorAsync(HttpStatusCode.BadRequest, "invalidSyntax", Send(HttpMethod.Post, "/Users/.search", Body("""{"filter":"userName eq \"a""", """\""}""")));
    }

    [Theory]
    [InlineData("/Users")]
    [InlineData("/Groups")]
    [InlineData("/ServiceProviderConfig")]
    [InlineData("/Schemas")]
    [InlineData("/ResourceTypes")]
    public async Task Malformed_bearer_tokens_get_401_with_a_challenge_on_every_route(string path)
    {
        foreach (var token in new[] { "a.b.c", "..", "eyJhbGciOiJub25lIn0.e30.", "x.y.z.w", "%%%.%%%.%%%" })
        {
            var client = factory.CreateClient();
            client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Bearer " + token);

            using var response = await client.GetAsync("/scim/v2" + path);

            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{token} on {path}: {(int)response.StatusCode}");
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
            Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.Single().Parameter, StringComparison.Ordinal);
            Assert.Equal("application/scim+json", response.Content.Headers.ContentType?.MediaType);
        }

        // Discovery still needs no token at all.
        Assert.Equal(HttpStatusCode.OK, (await factory.CreateClient().GetAsync("/scim/v2/ServiceProviderConfig")).StatusCode);
    }

    [Fact]
    public async Task Oversized_and_control_character_values_get_400_invalidValue_naming_the_attribute()
    {
        var api = await ApiAsync();
        var id = ScimApi.Id(await api.CreateUserAsync("limits@example.org"));
        var emails = new JsonArray([.. Enumerable.Range(0, 50_000).Select(i => (JsonNode)new JsonObject { ["value"] = $"m{i}@example.org" })]);

        var cases = new (string Attribute, JsonObject User)[]
        {
            ("userName", new JsonObject { ["userName"] = new string('u', 100_000) + "@example.org" }),
            ("displayName", new JsonObject { ["userName"] = "big@example.org", ["displayName"] = new string('d', 1_000_000) }),
            ("emails", new JsonObject { ["userName"] = "many@example.org", ["emails"] = emails }),
            ("userName", new JsonObject { ["userName"] = "nul\u0000@example.org" }),
            ("name.givenName", new JsonObject { ["userName"] = "bell@example.org", ["name"] = new JsonObject { ["givenName"] = "Ring\u0007" } }),
        };
        foreach (var (attribute, user) in cases)
        {
            var body = user.ToJsonString();
            Assert.Contains(attribute, await DetailAsync(api, HttpStatusCode.BadRequest, "invalidValue", api.PostAsync("/Users", body)), StringComparison.Ordinal);
            Assert.Contains(attribute, await DetailAsync(api, HttpStatusCode.BadRequest, "invalidValue", api.PutAsync($"/Users/{id}", body)), StringComparison.Ordinal);
        }

        Assert.Contains("title", await DetailAsync(api, HttpStatusCode.BadRequest, "invalidValue",
            api.PatchAsync($"/Users/{id}", Patch("title", new string('t', 5000)))), StringComparison.Ordinal);

        var group = ScimApi.Id(await api.CreateGroupAsync("Limited"));
        Assert.Contains("displayName", await DetailAsync(api, HttpStatusCode.BadRequest, "invalidValue",
            api.PostAsync("/Groups", new JsonObject { ["displayName"] = new string('g', 100_000) }.ToJsonString())), StringComparison.Ordinal);
        Assert.Contains("displayName", await DetailAsync(api, HttpStatusCode.BadRequest, "invalidValue",
            api.PatchAsync($"/Groups/{group}", Patch("displayName", "Nul\u0000Group"))), StringComparison.Ordinal);
        Assert.Contains("externalId", await DetailAsync(api, HttpStatusCode.BadRequest, "invalidValue",
            api.PutAsync($"/Groups/{group}", new JsonObject { ["displayName"] = "Limited", ["externalId"] = "tab\there" }.ToJsonString())), StringComparison.Ordinal);

        // Line breaks in free text are fine (a formatted address has them).
        await api.ExpectAsync(HttpStatusCode.OK, api.PatchAsync($"/Users/{id}", Patch("addresses", new JsonArray(new JsonObject
        {
            ["formatted"] = "100 Universal City Plaza\nHollywood, CA 91608",
        }))));
        var list = await api.ExpectAsync(HttpStatusCode.OK, api.GetAsync("/Users?filter=" + Uri.EscapeDataString("userName sw \"big\"")));
        Assert.Equal(0, (int)list["totalResults"]!);
    }

    [Fact]
    public async Task Errors_nobody_handled_have_SCIM_bodies_and_Me_is_not_implemented()
    {
        var api = await ApiAsync();

        await api.ExpectErrorAsync(HttpStatusCode.NotImplemented, null, api.GetAsync("/Me"));
        await api.ExpectErrorAsync(HttpStatusCode.NotFound, null, api.GetAsync("/NoSuchResource"));
        await api.ExpectErrorAsync(HttpStatusCode.NotFound, null, api.GetAsync("/Users/a/b/c"));
        await api.ExpectErrorAsync(HttpStatusCode.MethodNotAllowed, null, api.DeleteAsync("/Users"));
        await api.ExpectErrorAsync(HttpStatusCode.MethodNotAllowed, null, api.PutAsync("/ServiceProviderConfig", "{}"));
        await api.ExpectErrorAsync(HttpStatusCode.RequestUriTooLong, null, api.GetAsync("/Users?filter=" + new string('x', 20_000)));
        await api.ExpectErrorAsync(HttpStatusCode.RequestEntityTooLarge, null,
            api.PostAsync("/Users", $$"""{"userName":"huge@example.org","displayName":"{{new string('h', 5 * 1024 * 1024)}}"}"""));
        await api.ExpectErrorAsync(HttpStatusCode.UnsupportedMediaType, null, api.SendAsync(HttpMethod.Post, "/Users", configure: request =>
            request.Content = new StringContent("""{"userName":"text@example.org"}""", Encoding.UTF8, "text/plain")));
    }
}

public sealed class HostileInputTestsOnSqlite(ScimBridgeFactory factory) : HostileInputTests<ScimBridgeFactory>(factory);

public sealed class HostileInputTestsOnPostgres(PostgresScimBridgeFactory factory) : HostileInputTests<PostgresScimBridgeFactory>(factory);

using System.Net;
using System.Text.Json.Nodes;
using ScimBridge.Scim.Tests.Infrastructure;

namespace ScimBridge.Scim.Tests.Bulk;

/// <summary>The service with small Bulk limits, so that going over them is cheap.</summary>
public sealed class SmallBulkLimitsFactory : ScimBridgeFactory
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["ScimBridge:Scim:BulkMaxOperations"] = "5",
        ["ScimBridge:Scim:MaxPayloadBytes"] = "4096",
    };
}

public sealed class BulkLimitTests(SmallBulkLimitsFactory factory) : IClassFixture<SmallBulkLimitsFactory>
{
    private static string Creates(int count, int padding = 0) => new JsonObject
    {
        ["schemas"] = new JsonArray("urn:ietf:params:scim:api:messages:2.0:BulkRequest"),
        ["Operations"] = new JsonArray([.. Enumerable.Range(0, count).Select(i => (JsonNode)new JsonObject
        {
            ["method"] = "POST",
            ["path"] = "/Users",
            ["bulkId"] = $"u{i}",
            ["data"] = new JsonObject { ["userName"] = $"limit{i}@x.org", ["title"] = new string('t', padding) },
        })]),
    }.ToJsonString();

    private static async Task<string> DetailOfAsync(HttpResponseMessage response) =>
        (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["detail"]!;

    [Fact]
    public async Task The_limits_ServiceProviderConfig_announces_are_the_ones_enforced_with_413_naming_the_limit()
    {
        var api = new ScimApi(await factory.CreateOrganizationClientAsync("bulk-limits"));
        var config = await api.ExpectAsync(HttpStatusCode.OK, api.GetAsync("/ServiceProviderConfig"));
        var maxOperations = (int)config["bulk"]!["maxOperations"]!;
        var maxPayloadSize = (int)config["bulk"]!["maxPayloadSize"]!;
        Assert.Equal(5, maxOperations);
        Assert.Equal(4096, maxPayloadSize);

        var atLimit = await api.ExpectAsync(HttpStatusCode.OK, api.PostAsync("/Bulk", Creates(maxOperations)));
        Assert.Equal(maxOperations, atLimit["Operations"]!.AsArray().Count);

        await api.ExpectErrorAsync(HttpStatusCode.RequestEntityTooLarge, null, api.PostAsync("/Bulk", Creates(maxOperations + 1)));
        using (var tooMany = await api.PostAsync("/Bulk", Creates(maxOperations + 1)))
        {
            Assert.Contains("maxOperations is 5", await DetailOfAsync(tooMany), StringComparison.Ordinal);
        }

        var large = Creates(2, padding: maxPayloadSize);
        await api.ExpectErrorAsync(HttpStatusCode.RequestEntityTooLarge, null, api.PostAsync("/Bulk", large));
        using (var tooLarge = await api.PostAsync("/Bulk", large))
        {
            Assert.Contains("4096", await DetailOfAsync(tooLarge), StringComparison.Ordinal);
        }

        var list = await api.ExpectAsync(HttpStatusCode.OK, api.GetAsync("/Users?count=0"));
        Assert.Equal(maxOperations, (int)list["totalResults"]!);
    }
}

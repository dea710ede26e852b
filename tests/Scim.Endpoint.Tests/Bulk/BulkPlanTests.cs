using System.Text.Json.Nodes;
using ScimBridge.Scim.Bulk;

namespace ScimBridge.Scim.Tests.Bulk;

public sealed class BulkPlanTests
{
    private static BulkRequest Parse(params string[] operations) =>
        BulkRequest.Parse(JsonNode.Parse($$"""{"Operations":[{{string.Join(',', operations)}}]}""")!.AsObject(), 1000);

    private static string User(string bulkId, string userName, string? manager = null)
    {
        var data = new JsonObject { ["userName"] = userName };
        if (manager is not null)
        {
            data["manager"] = manager;
        }

        return new JsonObject { ["method"] = "POST", ["path"] = "/Users", ["bulkId"] = bulkId, ["data"] = data }.ToJsonString();
    }

    private static string Group(string bulkId, params string[] members) => new JsonObject
    {
        ["method"] = "POST",
        ["path"] = "/Groups",
        ["bulkId"] = bulkId,
        ["data"] = new JsonObject
        {
            ["displayName"] = bulkId,
            ["members"] = new JsonArray([.. members.Select(m => (JsonNode)new JsonObject { ["value"] = m })]),
        },
    }.ToJsonString();

    private static IReadOnlyCollection<string> UserNameKey(BulkOperation operation) =>
        operation.Data?["userName"] is { } name ? [name.GetValue<string>().ToUpperInvariant()] : [];

    [Fact]
    public void Operations_keep_their_order_unless_one_references_a_later_POST()
    {
        var plan = BulkPlan.Create(Parse(Group("g", "bulkId:b"), User("a", "a"), User("b", "b"), User("c", "c")).Operations);

        Assert.Equal([1, 2, 0, 3], plan.Order.Select(o => o.Index));
        Assert.Equal([2], plan.DependenciesOf(plan.Order[2]));
        Assert.All(plan.Order, o => Assert.Null(o.Problem));
    }

    [Fact]
    public void A_circle_of_references_and_what_depends_on_it_are_refused_and_an_unknown_bulkId_too()
    {
        var plan = BulkPlan.Create(Parse(Group("x", "bulkId:y"), Group("y", "bulkId:x"), Group("z", "bulkId:x"), Group("w", "bulkId:nobody"), User("u", "u")).Operations);

        Assert.Equal(400, plan.Order.Single(o => o.Index == 3).Problem!.Status);
        Assert.Equal([3, 4], plan.Order.Take(2).Select(o => o.Index));
        Assert.All(plan.Order.Where(o => o.Index < 3), o => Assert.Equal(409, o.Problem!.Status));
        Assert.Null(plan.Order.Single(o => o.Index == 4).Problem);
    }

    [Fact]
    public void Creates_run_together_until_one_claims_a_taken_userName_references_the_window_or_is_no_create()
    {
        var plan = BulkPlan.Create(Parse(
            User("a", "a"), User("b", "b"), User("c", "A"), User("d", "d", manager: "bulkId:c"), User("e", "e"),
            """{"method":"DELETE","path":"/Users/bulkId:e"}""", User("f", "f")).Operations);

        var windows = new List<int[]>();
        for (var next = 0; next < plan.Order.Count;)
        {
            var window = plan.NextWindow(next, 32, UserNameKey);
            windows.Add([.. window.Select(o => o.Index)]);
            next += window.Count;
        }

        Assert.Equal([[0, 1], [2], [3, 4], [5], [6]], windows);
        Assert.Equal([0, 1], plan.NextWindow(0, 2, UserNameKey).Select(o => o.Index));
        Assert.Equal([0], plan.NextWindow(0, 1, UserNameKey).Select(o => o.Index));
    }
}

using Microsoft.EntityFrameworkCore;
using ScimBridge.Scim.Errors;
using ScimBridge.Scim.Filtering;

namespace ScimBridge.Scim.Tests.Filtering;

public class GroupFilterTranslationTests(FilterDatabase database) : IClassFixture<FilterDatabase>
{
    private async Task<string> Find(string filter)
    {
        await using var db = database.Open();
        var ids = await GroupFilter.Apply(db.Groups, ScimFilterParser.Parse(filter), db.MemberEdges).Select(g => g.Id).ToListAsync();
        return string.Join(",", database.GroupIds.Where(kv => ids.Contains(kv.Value)).Select(kv => kv.Key).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("displayName eq \"engineering\"", "Engineering")]
    [InlineData("displayName eq \"SALES\"", "Sales")]
    [InlineData("displayName co \"group\"", "Empty Group")]
    [InlineData("displayName sw \"e\"", "Empty Group,Engineering")]
    [InlineData("externalId eq \"grp-1\"", "Engineering")]
    [InlineData("externalId eq \"grp-2\"", "")]
    [InlineData("externalId pr", "Engineering,Sales")]
    [InlineData("meta.created ge \"2024-03-01T09:00:00Z\"", "Empty Group,Sales")]
    [InlineData("meta.lastModified lt \"2024-02-01T00:00:00Z\"", "Engineering")]
    [InlineData("members pr", "Engineering,Sales")]
    [InlineData("not (members pr)", "Empty Group")]
    [InlineData("members[type eq \"Group\"]", "Engineering")]
    [InlineData("members.type eq \"user\" and displayName ne \"Engineering\"", "Sales")]
    public async Task Group_attributes_are_filterable(string filter, string expected)
    {
        Assert.Equal(expected, await Find(filter));
    }

    [Fact]
    public async Task Members_value_finds_the_groups_a_user_belongs_to()
    {
        var alice = database.UserIds["alice"];
        var bob = database.UserIds["bob"];

        Assert.Equal("Engineering", await Find($"members.value eq \"{alice}\""));
        Assert.Equal("Engineering,Sales", await Find($"members eq \"{bob}\""));
        Assert.Equal("Engineering,Sales", await Find($"members[value eq \"{bob}\"]"));
        Assert.Equal("Engineering", await Find($"members[value eq \"{bob}\"] and members[value eq \"{alice}\"]"));
        Assert.Equal("Sales", await Find($"displayName eq \"Sales\" and members.value eq \"{bob}\""));
        Assert.Equal("", await Find("members.value eq \"not-a-guid\""));
        Assert.Equal("", await Find($"members.value eq \"{database.UserIds["carol"]}\""));
    }

    [Fact]
    public async Task Group_id_filter()
    {
        Assert.Equal("Sales", await Find($"id eq \"{database.GroupIds["Sales"]}\""));
    }

    [Fact]
    public async Task Members_filter_respects_the_member_source_it_is_given()
    {
        await using var db = database.Open();
        var onlySales = db.MemberEdges.Where(m => m.GroupId == database.GroupIds["Sales"]);

        var ids = await GroupFilter.Apply(db.Groups, ScimFilterParser.Parse($"members.value eq \"{database.UserIds["bob"]}\""), onlySales)
            .Select(g => g.Id).ToListAsync();

        Assert.Equal([database.GroupIds["Sales"]], ids);
    }

    [Theory]
    [InlineData("userName eq \"x\"")]
    [InlineData("members.display eq \"x\"")]
    [InlineData("members.value gt \"x\"")]
    [InlineData("urn:ietf:params:scim:schemas:core:2.0:User:displayName eq \"x\"")]
    public void Filters_that_do_not_fit_groups_are_invalid(string filter)
    {
        using var db = database.Open();

        var error = Assert.Throws<ScimException>(() => GroupFilter.Apply(db.Groups, ScimFilterParser.Parse(filter), db.MemberEdges));

        Assert.Equal(ScimErrorTypes.InvalidFilter, error.ScimType);
    }
}

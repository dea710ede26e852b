using Microsoft.EntityFrameworkCore;
using ScimBridge.Scim.Filtering;
using Xunit.Abstractions;

namespace ScimBridge.Scim.Tests.Filtering;

/// <summary>Filter values travel as SQL parameters, so every value of one filter shape shares one cached query plan.</summary>
public class FilterParameterizationTests(FilterDatabase database, ITestOutputHelper output) : IClassFixture<FilterDatabase>
{
    private string UserSql(string filter)
    {
        using var db = database.Open();
        var sql = UserFilter.Apply(db.Users, ScimFilterParser.Parse(filter), db.UserAddresses).Select(u => u.Id).ToQueryString();
        output.WriteLine(sql);
        return WithoutParameterDeclarations(sql);
    }

    // SQLite's ToQueryString lists the parameters' values as ".param set" lines before the statement.
    private static string WithoutParameterDeclarations(string sql) =>
        string.Join("\n", sql.Split('\n').Where(line => !line.StartsWith(".param", StringComparison.Ordinal)));

    [Fact]
    public void UserName_value_is_a_parameter_not_a_literal()
    {
        var sql = UserSql("userName eq \"alice@example.com\"");

        Assert.Contains("@", sql, StringComparison.Ordinal);
        Assert.DoesNotContain("alice", sql, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("NormalizedUserName", sql, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("userName eq \"{0}\"")]
    [InlineData("externalId sw \"{0}\"")]
    [InlineData("externalId ew \"{0}\"")]
    [InlineData("externalId co \"{0}\"")]
    [InlineData("displayName co \"{0}\" or title ew \"{0}\"")]
    [InlineData("emails[type eq \"{0}\" and value co \"{0}\"]")]
    [InlineData("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq \"{0}\"")]
    public void Different_values_of_one_filter_shape_produce_identical_sql(string shape)
    {
        var first = UserSql(string.Format(System.Globalization.CultureInfo.InvariantCulture, shape, "first-value"));
        var second = UserSql(string.Format(System.Globalization.CultureInfo.InvariantCulture, shape, "other"));

        Assert.Equal(first, second);
        Assert.DoesNotContain("FIRST-VALUE", first, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Dates_booleans_and_ids_are_parameters_too()
    {
        var first = UserSql($"meta.created gt \"2024-01-01T00:00:00Z\" and active eq true and id ne \"{Guid.NewGuid()}\"");
        var second = UserSql($"meta.created gt \"2025-06-01T00:00:00Z\" and active eq false and id ne \"{Guid.NewGuid()}\"");

        Assert.Equal(first, second);
        Assert.DoesNotContain("638", first, StringComparison.Ordinal);
    }

    [Fact]
    public void Group_members_filter_is_an_exists_subquery_with_a_parameter()
    {
        using var db = database.Open();
        var member = database.UserIds["alice"];

        var sql = WithoutParameterDeclarations(GroupFilter
            .Apply(db.Groups, ScimFilterParser.Parse($"members.value eq \"{member}\""), db.MemberEdges)
            .Select(g => g.Id)
            .ToQueryString());
        output.WriteLine(sql);

        Assert.Contains("EXISTS", sql, StringComparison.Ordinal);
        Assert.Contains("GroupMembers", sql, StringComparison.Ordinal);
        Assert.DoesNotContain(member.ToString(), sql, StringComparison.OrdinalIgnoreCase);
    }
}

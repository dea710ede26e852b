using System.Text.Json.Nodes;
using ScimBridge.Scim.Errors;
using ScimBridge.Scim.Filtering;

namespace ScimBridge.Scim.Tests.Filtering;

public class ScimFilterEvaluatorTests
{
    private static readonly JsonNode WorkEmail = JsonNode.Parse("""{"Value":"Alice@Example.com","type":"work","primary":true}""")!;
    private static readonly JsonNode HomeEmail = JsonNode.Parse("""{"value":"alice@home.org","type":"home"}""")!;

    private static bool Matches(string filter, JsonNode element) => ScimFilterEvaluator.Matches(ScimFilterParser.Parse(filter), element);

    [Theory]
    [InlineData("type eq \"work\"", true)]
    [InlineData("TYPE eq \"WORK\"", true)]
    [InlineData("type ne \"work\"", false)]
    [InlineData("value co \"@example\"", true)]
    [InlineData("value sw \"alice\"", true)]
    [InlineData("value ew \".COM\"", true)]
    [InlineData("value gt \"aaa\"", true)]
    [InlineData("value lt \"aaa\"", false)]
    [InlineData("primary eq true", true)]
    [InlineData("primary eq false", false)]
    [InlineData("display pr", false)]
    [InlineData("value pr", true)]
    [InlineData("display eq null", true)]
    [InlineData("type eq \"work\" and primary eq true", true)]
    [InlineData("type eq \"home\" or primary eq true", true)]
    [InlineData("not (type eq \"work\")", false)]
    public void Element_of_a_multi_valued_attribute_is_matched(string filter, bool expected)
    {
        Assert.Equal(expected, Matches(filter, WorkEmail));
    }

    [Fact]
    public void Absent_boolean_is_not_equal_to_true()
    {
        Assert.False(Matches("primary eq true", HomeEmail));
        Assert.True(Matches("primary ne true", HomeEmail));
    }

    [Fact]
    public void Member_is_selected_by_value()
    {
        var member = JsonNode.Parse("""{"value":"2819c223-7f76-453a-919d-413861904646","display":"Babs"}""")!;

        Assert.True(Matches("value eq \"2819c223-7f76-453a-919d-413861904646\"", member));
        Assert.False(Matches("value eq \"00000000-7f76-453a-919d-413861904646\"", member));
    }

    [Fact]
    public void Id_and_externalId_compare_case_exactly()
    {
        var resource = JsonNode.Parse("""{"id":"abc","externalId":"Ext-1","userName":"Bjensen"}""")!;

        Assert.True(Matches("externalId eq \"Ext-1\"", resource));
        Assert.False(Matches("externalId eq \"EXT-1\"", resource));
        Assert.False(Matches("id eq \"ABC\"", resource));
        Assert.True(Matches("userName eq \"bjensen\"", resource));
    }

    [Fact]
    public void Whole_resource_with_multi_valued_complex_and_extension_attributes()
    {
        var user = JsonNode.Parse("""
            {
              "userName": "alice",
              "name": { "givenName": "Alice" },
              "emails": [ { "value": "a@x.org", "type": "home" }, { "value": "a@example.com", "type": "work" } ],
              "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": { "employeeNumber": "1001", "manager": { "value": "m-1" } },
              "meta": { "created": "2024-03-01T10:00:00Z" }
            }
            """)!;

        Assert.True(Matches("emails[type eq \"work\" and value ew \"example.com\"]", user));
        Assert.False(Matches("emails[type eq \"home\" and value ew \"example.com\"]", user));
        Assert.True(Matches("emails co \"example\"", user));
        Assert.True(Matches("emails.type eq \"home\"", user));
        Assert.True(Matches("name.givenName sw \"ali\"", user));
        Assert.True(Matches("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq \"1001\"", user));
        Assert.True(Matches("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq \"m-1\"", user));
        Assert.True(Matches("meta.created gt \"2024-02-29T23:00:00-02:00\"", user));
        Assert.False(Matches("meta.created gt \"2024-03-01T12:00:00+01:00\"", user));
    }

    [Fact]
    public void Bare_number_matches_a_string_value_with_the_same_text()
    {
        var resource = JsonNode.Parse("""{"externalId":"12345"}""")!;

        Assert.True(Matches("externalId eq 12345", resource));
    }

    [Fact]
    public void Ordering_a_boolean_is_an_invalid_filter()
    {
        var error = Assert.Throws<ScimException>(() => Matches("primary gt true", WorkEmail));

        Assert.Equal(ScimErrorTypes.InvalidFilter, error.ScimType);
    }

    [Fact]
    public void Null_element_matches_only_absence()
    {
        Assert.False(ScimFilterEvaluator.Matches(ScimFilterParser.Parse("type eq \"work\""), null));
        Assert.True(ScimFilterEvaluator.Matches(ScimFilterParser.Parse("type eq null"), null));
    }
}

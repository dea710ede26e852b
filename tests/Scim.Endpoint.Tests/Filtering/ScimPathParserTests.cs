using System.Text.Json.Nodes;
using ScimBridge.Scim.Errors;
using ScimBridge.Scim.Filtering;

namespace ScimBridge.Scim.Tests.Filtering;

public class ScimPathParserTests
{
    [Fact]
    public void Plain_attribute_and_sub_attribute_paths()
    {
        Assert.Equal(new PatchPath(new AttributePath(null, "displayName")), ScimPathParser.Parse("displayName"));
        Assert.Equal(new PatchPath(new AttributePath(null, "name", "givenName")), ScimPathParser.Parse("name.givenName"));
    }

    [Fact]
    public void Members_value_path_selects_members_by_value()
    {
        var path = ScimPathParser.Parse("members[value eq \"2819c223-7f76-453a-919d-413861904646\"]");

        Assert.Equal(new AttributePath(null, "members"), path.Target);
        Assert.Null(path.SubAttribute);
        Assert.Equal(
            new ComparisonFilter(new AttributePath(null, "value"), ComparisonOperator.Eq, JsonValue.Create("2819c223-7f76-453a-919d-413861904646")),
            path.ValueFilter);
    }

    [Fact]
    public void Value_path_with_sub_attribute_targets_the_sub_attribute_of_matching_elements()
    {
        var path = ScimPathParser.Parse("emails[type eq \"work\"].value");

        Assert.Equal(new AttributePath(null, "emails", "value"), path.Attribute);
        Assert.Equal(new AttributePath(null, "emails"), path.Target);
        Assert.Equal("value", path.SubAttribute);
        Assert.Equal(new ComparisonFilter(new AttributePath(null, "type"), ComparisonOperator.Eq, JsonValue.Create("work")), path.ValueFilter);
    }

    [Fact]
    public void Value_path_with_compound_filter()
    {
        var path = ScimPathParser.Parse("addresses[type eq \"work\" and primary eq true].streetAddress");

        Assert.IsType<AndFilter>(path.ValueFilter);
        Assert.Equal("streetAddress", path.SubAttribute);
    }

    [Theory]
    [InlineData("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber", "employeeNumber", null)]
    [InlineData("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager", "manager", null)]
    [InlineData("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value", "manager", "value")]
    public void Enterprise_extension_paths_keep_their_schema(string text, string name, string? sub)
    {
        var path = ScimPathParser.Parse(text);

        Assert.Equal(new AttributePath(ScimUrns.EnterpriseUser, name, sub), path.Attribute);
        Assert.Null(path.ValueFilter);
    }

    [Fact]
    public void Core_schema_prefixed_value_path()
    {
        var path = ScimPathParser.Parse("urn:ietf:params:scim:schemas:core:2.0:User:emails[type eq \"work\"].display");

        Assert.Equal(new AttributePath(ScimUrns.User, "emails", "display"), path.Attribute);
        Assert.NotNull(path.ValueFilter);
    }

    [Theory]
    [InlineData("")]
    [InlineData("emails[type eq \"work\"")]
    [InlineData("emails[type eq \"work\"]value")]
    [InlineData("emails[type eq \"work\"].")]
    [InlineData("emails[type eq \"work\"].1x")]
    [InlineData("emails[]")]
    [InlineData("name.givenName.x")]
    [InlineData("emails.value[type eq \"work\"]")]
    [InlineData("members value")]
    [InlineData("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:")]
    [InlineData("emails[type eq \"work\"].value.x")]
    public void Malformed_path_is_rejected_as_invalidPath(string text)
    {
        var error = Assert.Throws<ScimException>(() => ScimPathParser.Parse(text));

        Assert.Equal(ScimErrorTypes.InvalidPath, error.ScimType);
        Assert.Equal(400, error.Status);
    }
}

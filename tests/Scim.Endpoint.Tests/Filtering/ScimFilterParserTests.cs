using System.Text.Json.Nodes;
using ScimBridge.Scim.Errors;
using ScimBridge.Scim.Filtering;

namespace ScimBridge.Scim.Tests.Filtering;

public class ScimFilterParserTests
{
    private static AttributePath P(string name, string? sub = null, string? schema = null) => new(schema, name, sub);

    private static ComparisonFilter Eq(string name, string value) => new(P(name), ComparisonOperator.Eq, JsonValue.Create(value));

    [Theory]
    [InlineData("eq", ComparisonOperator.Eq)]
    [InlineData("ne", ComparisonOperator.Ne)]
    [InlineData("co", ComparisonOperator.Co)]
    [InlineData("sw", ComparisonOperator.Sw)]
    [InlineData("ew", ComparisonOperator.Ew)]
    [InlineData("gt", ComparisonOperator.Gt)]
    [InlineData("ge", ComparisonOperator.Ge)]
    [InlineData("lt", ComparisonOperator.Lt)]
    [InlineData("le", ComparisonOperator.Le)]
    [InlineData("EQ", ComparisonOperator.Eq)]
    [InlineData("Co", ComparisonOperator.Co)]
    public void Every_comparison_operator_is_read_case_insensitively(string op, ComparisonOperator expected)
    {
        var node = ScimFilterParser.Parse($"userName {op} \"bjensen\"");

        Assert.Equal(new ComparisonFilter(P("userName"), expected, JsonValue.Create("bjensen")), node);
    }

    [Fact]
    public void Presence_is_parsed()
    {
        Assert.Equal(new PresentFilter(P("title")), ScimFilterParser.Parse("title pr"));
        Assert.Equal(new PresentFilter(P("emails", "value")), ScimFilterParser.Parse("emails.value PR"));
    }

    [Fact]
    public void And_binds_tighter_than_or()
    {
        var node = ScimFilterParser.Parse("a eq \"1\" or b eq \"2\" and c eq \"3\"");

        Assert.Equal(new OrFilter(Eq("a", "1"), new AndFilter(Eq("b", "2"), Eq("c", "3"))), node);
    }

    [Fact]
    public void Parentheses_override_precedence()
    {
        var node = ScimFilterParser.Parse("(a eq \"1\" or b eq \"2\") and c eq \"3\"");

        Assert.Equal(new AndFilter(new OrFilter(Eq("a", "1"), Eq("b", "2")), Eq("c", "3")), node);
    }

    [Fact]
    public void Nested_parentheses_and_not_are_parsed()
    {
        var node = ScimFilterParser.Parse("not ((a eq \"1\") or (not (b eq \"2\")))");

        Assert.Equal(new NotFilter(new OrFilter(Eq("a", "1"), new NotFilter(Eq("b", "2")))), node);
    }

    [Fact]
    public void Operators_and_keywords_are_left_associative_chains()
    {
        var node = ScimFilterParser.Parse("a eq \"1\" AND b eq \"2\" And c eq \"3\"");

        Assert.Equal(new AndFilter(new AndFilter(Eq("a", "1"), Eq("b", "2")), Eq("c", "3")), node);
    }

    [Fact]
    public void Value_path_holds_a_compound_element_filter()
    {
        var node = ScimFilterParser.Parse("emails[type eq \"work\" and primary eq true]");

        Assert.Equal(
            new ValuePathFilter(P("emails"), new AndFilter(Eq("type", "work"),
                new ComparisonFilter(P("primary"), ComparisonOperator.Eq, JsonValue.Create(true)))),
            node);
    }

    [Fact]
    public void Value_path_combines_with_other_expressions()
    {
        var node = ScimFilterParser.Parse("userType eq \"Employee\" and (emails co \"example.com\" or emails[value co \"example.org\"])");

        var and = Assert.IsType<AndFilter>(node);
        var or = Assert.IsType<OrFilter>(and.Right);
        Assert.IsType<ValuePathFilter>(or.Right);
    }

    [Theory]
    [InlineData("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", "employeeNumber", null)]
    [InlineData("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", "manager", "value")]
    [InlineData("urn:ietf:params:scim:schemas:core:2.0:User:name.givenName", "urn:ietf:params:scim:schemas:core:2.0:User", "name", "givenName")]
    [InlineData("name.givenName", null, "name", "givenName")]
    [InlineData("emails.value", null, "emails", "value")]
    [InlineData("meta.lastModified", null, "meta", "lastModified")]
    [InlineData("members.$ref", null, "members", "$ref")]
    public void Attribute_paths_with_and_without_schema_are_split(string text, string? schema, string name, string? sub)
    {
        var node = Assert.IsType<ComparisonFilter>(ScimFilterParser.Parse($"{text} eq \"x\""));

        Assert.Equal(schema, node.Path.Schema);
        Assert.Equal(name, node.Path.Name);
        Assert.Equal(sub, node.Path.SubAttribute);
    }

    [Fact]
    public void Attribute_names_compare_case_insensitively()
    {
        Assert.Equal(AttributePath.Parse("NAME.GIVENNAME"), AttributePath.Parse("name.givenName"));
        Assert.Equal(
            AttributePath.Parse("URN:IETF:PARAMS:SCIM:SCHEMAS:EXTENSION:ENTERPRISE:2.0:USER:employeeNumber").GetHashCode(),
            AttributePath.Parse("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:EMPLOYEENUMBER").GetHashCode());
    }

    [Fact]
    public void String_values_decode_json_escapes()
    {
        var node = Assert.IsType<ComparisonFilter>(ScimFilterParser.Parse("displayName eq \"Say \\\"hi\\\" \\\\ caf\\u00e9\\n\""));

        Assert.Equal("Say \"hi\" \\ café\n", node.Value!.GetValue<string>());
    }

    [Fact]
    public void Strings_may_contain_brackets_parentheses_and_keywords()
    {
        var node = Assert.IsType<ComparisonFilter>(ScimFilterParser.Parse("displayName eq \"a) or (b [c]\""));

        Assert.Equal("a) or (b [c]", node.Value!.GetValue<string>());
    }

    [Fact]
    public void True_false_null_and_numbers_are_typed()
    {
        Assert.True(((ComparisonFilter)ScimFilterParser.Parse("active eq true")).Value!.GetValue<bool>());
        Assert.False(((ComparisonFilter)ScimFilterParser.Parse("active eq False")).Value!.GetValue<bool>());
        Assert.Null(((ComparisonFilter)ScimFilterParser.Parse("title eq null")).Value);
        Assert.Equal("-12.5e3", ((ComparisonFilter)ScimFilterParser.Parse("x gt -12.5e3")).Value!.ToJsonString());
    }

    [Theory]
    [InlineData("externalId eq 12345", "12345")]
    [InlineData("userName eq jdoe@example.com", "jdoe@example.com")]
    [InlineData("externalId eq 00123", "00123")]
    [InlineData("externalId eq 6c5bb468-14b2-4183-baf2-06d523e03bd3", "6c5bb468-14b2-4183-baf2-06d523e03bd3")]
    public void Bare_values_sent_by_Entra_are_accepted(string filter, string expectedText)
    {
        var node = Assert.IsType<ComparisonFilter>(ScimFilterParser.Parse(filter));

        var value = node.Value!;
        var text = value.GetValueKind() == System.Text.Json.JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString();
        Assert.Equal(expectedText, text);
    }

    [Fact]
    public void Bare_value_inside_parentheses_stops_at_the_parenthesis()
    {
        var node = ScimFilterParser.Parse("(userName eq jdoe@example.com)");

        Assert.Equal(Eq("userName", "jdoe@example.com"), node);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    [InlineData("userName", "Expected an operator after 'userName'")]
    [InlineData("userName eq", "Expected a value after 'eq'")]
    [InlineData("userName xx \"a\"", "'xx' at position 10 is not an operator")]
    [InlineData("userName eq \"abc", "string starting at position 13 is not terminated")]
    [InlineData("(userName eq \"a\"", "Expected ')' to close the '(' at position 1")]
    [InlineData("userName eq \"a\")", "Unexpected ')' at position 16")]
    [InlineData("emails[type eq \"work\"", "Expected ']' to close the '[' at position 7")]
    [InlineData("userName eq \"a\" and", "Expected an attribute expression but found the end of the input")]
    [InlineData("not userName eq \"a\"", "'not' at position 1 must be followed by '('")]
    [InlineData("userName eq \"a\\q\"", "string at position 13 has an invalid escape")]
    [InlineData("1userName eq \"a\"", "'1userName' in '1userName' is not a valid attribute name")]
    [InlineData("emails[value[type eq \"x\"]]", "Value paths cannot be nested: '[' at position 13")]
    [InlineData("userName eq \"a\" userName eq \"b\"", "Unexpected 'userName' at position 17")]
    [InlineData("title pr \"x\"", "Unexpected the string \"x\" at position 10")]
    [InlineData("name..givenName eq \"x\"", "empty attribute name")]
    [InlineData("a.b.c eq \"x\"", "more than one sub-attribute")]
    [InlineData("userName eq and", "Expected a value after 'eq' but found the keyword 'and' at position 13")]
    [InlineData("and userName eq \"a\"", "found the operator 'and' at position 1")]
    [InlineData("emails.type[value eq \"x\"]", "not to the sub-attribute")]
    [InlineData("userName eq (\"a\")", "Expected a value after 'eq' (position 10) but found '(' at position 13")]
    public void Malformed_filter_is_rejected_as_invalidFilter_saying_what_and_where(string filter, string expected)
    {
        var error = Assert.Throws<ScimException>(() => ScimFilterParser.Parse(filter));

        Assert.Equal(400, error.Status);
        Assert.Equal(ScimErrorTypes.InvalidFilter, error.ScimType);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ScimBridge.Scim.Filtering;

/// <summary>
/// Recursive descent over the RFC 7644 §3.4.2.2 grammar: <c>or</c> binds looser than <c>and</c>, <c>not (…)</c>,
/// parentheses, <c>attr[valFilter]</c>. Bare unquoted values (sent by Entra ID) are read as strings.
/// </summary>
internal sealed partial class FilterGrammar(string text, Func<string, Exception> fail, FilterLimits limits)
{
    private static readonly Dictionary<string, ComparisonOperator> Operators = new(StringComparer.OrdinalIgnoreCase)
    {
        ["eq"] = ComparisonOperator.Eq,
        ["ne"] = ComparisonOperator.Ne,
        ["co"] = ComparisonOperator.Co,
        ["sw"] = ComparisonOperator.Sw,
        ["ew"] = ComparisonOperator.Ew,
        ["gt"] = ComparisonOperator.Gt,
        ["ge"] = ComparisonOperator.Ge,
        ["lt"] = ComparisonOperator.Lt,
        ["le"] = ComparisonOperator.Le,
    };

    private readonly List<FilterToken> _tokens = FilterTokenizer.Tokenize(text, fail);
    private int _next;
    private int _depth;
    private int _terms;

    public FilterToken Peek => _tokens[_next];

    public FilterToken Next() => _tokens[Math.Min(_next++, _tokens.Count - 1)];

    public Exception Fail(string message) => fail(message);

    /// <summary>A whole filter: nothing may follow it.</summary>
    public FilterNode ParseFilter()
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw fail("The filter is empty.");
        }

        var node = ParseOr(inValuePath: false);
        ExpectEnd();
        return node;
    }

    public void ExpectEnd()
    {
        if (Peek.Kind != FilterTokenKind.End)
        {
            throw fail($"Unexpected {Peek.Describe()}: expected 'and', 'or' or the end of the filter.");
        }
    }

    public void ExpectEndOfPath()
    {
        if (Peek.Kind != FilterTokenKind.End)
        {
            throw fail($"unexpected {Peek.Describe()} after the attribute path.");
        }
    }

    public FilterNode ParseOr(bool inValuePath)
    {
        var left = ParseAnd(inValuePath);
        while (Peek.IsWord("or"))
        {
            Next();
            left = new OrFilter(left, ParseAnd(inValuePath));
        }

        return left;
    }

    public AttributePath ParsePath(FilterToken token)
    {
        if (token.Kind != FilterTokenKind.Word)
        {
            throw fail($"Expected an attribute name but found {token.Describe()}.");
        }

        return AttributePath.TryParse(token.Text, out var path, out var error)
            ? path
            : throw fail($"{error} (position {token.Position})");
    }

    /// <summary>After an attribute's <c>[</c>: the element filter and its closing <c>]</c>.</summary>
    public FilterNode ParseValueFilter(FilterToken open)
    {
        Enter(open);
        var inner = ParseOr(inValuePath: true);
        _depth--;
        if (Peek.Kind != FilterTokenKind.RightBracket)
        {
            throw fail($"Expected ']' to close the '[' at position {open.Position} but found {Peek.Describe()}.");
        }

        Next();
        return inner;
    }

    private FilterNode ParseAnd(bool inValuePath)
    {
        var left = ParseFactor(inValuePath);
        while (Peek.IsWord("and"))
        {
            Next();
            left = new AndFilter(left, ParseFactor(inValuePath));
        }

        return left;
    }

    private FilterNode ParseFactor(bool inValuePath)
    {
        var token = Peek;
        if (token.IsWord("not"))
        {
            Next();
            if (Peek.Kind != FilterTokenKind.LeftParen)
            {
                throw fail($"'not' at position {token.Position} must be followed by '(' but found {Peek.Describe()}.");
            }

            return new NotFilter(ParseParenthesised(inValuePath));
        }

        return token.Kind switch
        {
            FilterTokenKind.LeftParen => ParseParenthesised(inValuePath),
            FilterTokenKind.Word when token.IsWord("and") || token.IsWord("or") =>
                throw fail($"Expected an attribute expression but found the operator {token.Describe()}."),
            FilterTokenKind.Word => ParseAttributeExpression(inValuePath),
            _ => throw fail($"Expected an attribute expression but found {token.Describe()}."),
        };
    }

    private FilterNode ParseParenthesised(bool inValuePath)
    {
        var open = Next();
        Enter(open);
        var inner = ParseOr(inValuePath);
        _depth--;
        if (Peek.Kind != FilterTokenKind.RightParen)
        {
            throw fail($"Expected ')' to close the '(' at position {open.Position} but found {Peek.Describe()}.");
        }

        Next();
        return inner;
    }

    private FilterNode ParseAttributeExpression(bool inValuePath)
    {
        var pathToken = Next();
        if (++_terms > limits.MaxTerms)
        {
            throw fail($"More than {limits.MaxTerms} comparisons at position {pathToken.Position}; the limit is {limits.MaxTerms} (maxTerms).");
        }

        var path = ParsePath(pathToken);
        if (Peek.Kind == FilterTokenKind.LeftBracket)
        {
            if (inValuePath)
            {
                throw fail($"Value paths cannot be nested: '[' at position {Peek.Position}.");
            }

            if (path.SubAttribute is not null)
            {
                throw fail($"A value filter applies to an attribute, not to the sub-attribute '{path}' (position {pathToken.Position}).");
            }

            var elementFilter = ParseValueFilter(Next());
            if (Peek.Kind == FilterTokenKind.Word && Peek.Text.StartsWith('.'))
            {
                // Entra ID: emails[type eq "work"].value eq "a@b.c" — the same element must pass both tests.
                var subToken = Next();
                var subAttribute = subToken.Text[1..];
                if (!AttributePath.IsAttributeName(subAttribute))
                {
                    throw fail($"'{subAttribute}' at position {subToken.Position + 1} is not a valid sub-attribute name.");
                }

                var subExpression = ParseComparison(new AttributePath(null, subAttribute), subToken);
                return new ValuePathFilter(path, new AndFilter(elementFilter, subExpression));
            }

            return new ValuePathFilter(path, elementFilter);
        }

        return ParseComparison(path, pathToken);
    }

    /// <summary>After an attribute path: <c>pr</c>, or an operator and its value.</summary>
    private FilterNode ParseComparison(AttributePath path, FilterToken pathToken)
    {
        var op = Next();
        if (op.Kind != FilterTokenKind.Word)
        {
            throw fail($"Expected an operator after '{pathToken.Text}' but found {op.Describe()}.");
        }

        if (op.IsWord("pr"))
        {
            return new PresentFilter(path);
        }

        if (!Operators.TryGetValue(op.Text, out var comparison))
        {
            throw fail($"'{op.Text}' at position {op.Position} is not an operator (eq, ne, co, sw, ew, gt, ge, lt, le, pr).");
        }

        return new ComparisonFilter(path, comparison, ParseValue(op));
    }

    /// <summary>One level deeper; refused past the limit before recursing, so no input can exhaust the stack.</summary>
    private void Enter(FilterToken open)
    {
        if (++_depth > limits.MaxDepth)
        {
            throw fail($"Nesting deeper than {limits.MaxDepth} levels at position {open.Position}; the limit is {limits.MaxDepth} (maxDepth).");
        }
    }

    private JsonNode? ParseValue(FilterToken op)
    {
        var token = Next();
        switch (token.Kind)
        {
            case FilterTokenKind.String:
                try
                {
                    return JsonValue.Create(JsonSerializer.Deserialize<string>(token.Text));
                }
                catch (JsonException)
                {
                    throw fail($"The string at position {token.Position} has an invalid escape or control character.");
                }

            case FilterTokenKind.Word when token.IsWord("and") || token.IsWord("or") || token.IsWord("not"):
                throw fail($"Expected a value after '{op.Text}' but found the keyword {token.Describe()}.");
            case FilterTokenKind.Word when token.IsWord("true"):
                return JsonValue.Create(true);
            case FilterTokenKind.Word when token.IsWord("false"):
                return JsonValue.Create(false);
            case FilterTokenKind.Word when token.IsWord("null"):
                return null;
            case FilterTokenKind.Word when JsonNumber().IsMatch(token.Text):
                // Parsed from the text so that the literal (e.g. 12345 for an externalId) is kept as written.
                return JsonNode.Parse(token.Text);
            case FilterTokenKind.Word:
                return JsonValue.Create(token.Text);
            default:
                throw fail($"Expected a value after '{op.Text}' (position {op.Position}) but found {token.Describe()}.");
        }
    }

    [GeneratedRegex(@"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$")]
    private static partial Regex JsonNumber();
}

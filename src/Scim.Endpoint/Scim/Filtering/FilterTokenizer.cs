namespace ScimBridge.Scim.Filtering;

/// <summary>Splits filter text into words, JSON strings and brackets.</summary>
internal static class FilterTokenizer
{
    public static List<FilterToken> Tokenize(string text, Func<string, Exception> fail)
    {
        var tokens = new List<FilterToken>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            var single = c switch
            {
                '(' => FilterTokenKind.LeftParen,
                ')' => FilterTokenKind.RightParen,
                '[' => FilterTokenKind.LeftBracket,
                ']' => FilterTokenKind.RightBracket,
                _ => FilterTokenKind.End,
            };
            if (single != FilterTokenKind.End)
            {
                tokens.Add(new FilterToken(single, c.ToString(), i + 1));
                i++;
                continue;
            }

            var start = i;
            if (c == '"')
            {
                i++;
                while (i < text.Length && text[i] != '"')
                {
                    i += text[i] == '\\' ? 2 : 1;
                }

                if (i >= text.Length)
                {
                    throw fail($"The string starting at position {start + 1} is not terminated by '\"'.");
                }

                i++;
                tokens.Add(new FilterToken(FilterTokenKind.String, text[start..i], start + 1));
                continue;
            }

            while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] is not ('(' or ')' or '[' or ']' or '"'))
            {
                i++;
            }

            tokens.Add(new FilterToken(FilterTokenKind.Word, text[start..i], start + 1));
        }

        tokens.Add(new FilterToken(FilterTokenKind.End, "", text.Length + 1));
        return tokens;
    }
}

namespace ScimBridge.Scim.Filtering;

internal enum FilterTokenKind
{
    Word,
    String,
    LeftParen,
    RightParen,
    LeftBracket,
    RightBracket,
    End,
}

/// <summary>A lexical unit of a filter or path; <see cref="Position"/> is 1-based, as shown in error messages.</summary>
internal readonly record struct FilterToken(FilterTokenKind Kind, string Text, int Position)
{
    public bool IsWord(string keyword) => Kind == FilterTokenKind.Word && Text.Equals(keyword, StringComparison.OrdinalIgnoreCase);

    public string Describe() => Kind switch
    {
        FilterTokenKind.End => "the end of the input",
        FilterTokenKind.String => $"the string {Text} at position {Position}",
        _ => $"'{Text}' at position {Position}",
    };
}

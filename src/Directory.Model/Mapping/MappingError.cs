namespace ScimBridge.Model.Mapping;

/// <summary>One problem in a mapping file, with the place it was found (1-based line and column).</summary>
public sealed record MappingError(string File, int Line, int Column, string Message)
{
    public override string ToString() => $"{File}:{Line}:{Column}: {Message}";
}

/// <summary>The outcome of reading a mapping file: the file when it is valid, otherwise every error found.</summary>
public sealed record MappingParseResult(MappingFile? File, IReadOnlyList<MappingError> Errors)
{
    public bool IsValid => File is not null && Errors.Count == 0;
}

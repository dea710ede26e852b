namespace ScimBridge.Scim.Filtering;

/// <summary>
/// How deep a filter or PATCH path may nest (parentheses, <c>not</c>, value paths) and how many comparisons it may hold.
/// The grammar is recursive: without a bound, a 20 KB filter of parentheses overflows the stack and ends the process.
/// </summary>
public sealed record FilterLimits(int MaxDepth, int MaxTerms)
{
    /// <summary>50 levels and 200 comparisons: far beyond what identity providers send, far below what the stack bears.</summary>
    public static readonly FilterLimits Default = new(50, 200);
}

namespace ScimBridge.Scim.Errors;

/// <summary>A request the SCIM layer refuses; turned into an RFC 7644 §3.12 error body in one place.</summary>
public sealed class ScimException(int status, string? scimType, string detail) : Exception(detail)
{
    public int Status { get; } = status;
    public string? ScimType { get; } = scimType;

    public static ScimException InvalidFilter(string detail) => new(400, ScimErrorTypes.InvalidFilter, detail);
    public static ScimException InvalidSyntax(string detail) => new(400, ScimErrorTypes.InvalidSyntax, detail);
    public static ScimException InvalidPath(string detail) => new(400, ScimErrorTypes.InvalidPath, detail);
    public static ScimException InvalidValue(string detail) => new(400, ScimErrorTypes.InvalidValue, detail);
    public static ScimException NoTarget(string detail) => new(400, ScimErrorTypes.NoTarget, detail);
    public static ScimException Mutability(string detail) => new(400, ScimErrorTypes.Mutability, detail);
    public static ScimException TooMany(string detail) => new(400, ScimErrorTypes.TooMany, detail);
    public static ScimException Uniqueness(string detail) => new(409, ScimErrorTypes.Uniqueness, detail);
    public static ScimException NotFound(string detail) => new(404, null, detail);
    public static ScimException PreconditionFailed(string detail) => new(412, null, detail);
    public static ScimException PayloadTooLarge(string detail) => new(413, null, detail);
}

/// <summary>The <c>scimType</c> values of RFC 7644 table 9.</summary>
public static class ScimErrorTypes
{
    public const string InvalidFilter = "invalidFilter";
    public const string TooMany = "tooMany";
    public const string Uniqueness = "uniqueness";
    public const string Mutability = "mutability";
    public const string InvalidSyntax = "invalidSyntax";
    public const string InvalidPath = "invalidPath";
    public const string NoTarget = "noTarget";
    public const string InvalidValue = "invalidValue";
    public const string InvalidVers = "invalidVers";
    public const string Sensitive = "sensitive";

    /// <summary>RFC 9865: a cursor the service did not give out.</summary>
    public const string InvalidCursor = "invalidCursor";

    /// <summary>RFC 9865: a count that cursor paging cannot serve (below 1).</summary>
    public const string InvalidCount = "invalidCount";
}

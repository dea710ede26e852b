using System.Text.Json.Nodes;

namespace ScimBridge.Scim.Bulk;

/// <summary>
/// One entry of a BulkRequest's <c>Operations</c> (RFC 7644 §3.7), as the client sent it.
/// <paramref name="Problem"/> is set when the entry itself is unusable (no method, a path outside /Users and /Groups):
/// that operation fails with this error and the others still run.
/// </summary>
public sealed record BulkOperation(
    int Index,
    string Method,
    string? BulkId,
    string? Version,
    string Path,
    BulkTarget? Target,
    JsonObject? Data,
    IReadOnlySet<string> References,
    BulkProblem? Problem)
{
    public bool IsCreate => Method == "POST";
}

/// <summary>The resource an operation addresses: a collection for POST, one resource (maybe by <c>bulkId:</c>) otherwise.</summary>
/// <param name="Collection"><c>Users</c> or <c>Groups</c>.</param>
/// <param name="Id">The resource id, or <c>bulkId:…</c>; null for POST.</param>
public sealed record BulkTarget(string Collection, string? Id);

/// <summary>Why an operation was not run or failed before reaching its handler, in RFC 7644 error terms.</summary>
public sealed record BulkProblem(int Status, string? ScimType, string Detail);

namespace ScimBridge.Model.Mapping;

/// <summary>
/// The state of one file in the mappings folder, for the log and the admin surface: which version is in force,
/// since when, why the file on disk was rejected when it was, and whether a valid version waits held by the guard.
/// </summary>
/// <param name="Organization">The organization the file maps; null until a valid version loaded.</param>
/// <param name="Version">Content hash of the version in force for that organization; null when none is.</param>
/// <param name="Errors">Why the current content on disk was rejected; empty when it is valid.</param>
/// <param name="Warnings">Things that do not stop the file, e.g. an organization that does not exist yet.</param>
/// <param name="Held">The valid version on disk that the guard keeps from applying until an admin releases it; null when none.</param>
public sealed record MappingFileStatus(
    string FileName,
    string? Organization,
    string? Version,
    DateTimeOffset? LoadedAt,
    IReadOnlyList<MappingError> Errors,
    IReadOnlyList<string> Warnings,
    MappingHold? Held = null)
{
    public bool InForce => Version is not null;
}

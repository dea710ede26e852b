namespace ScimBridge.Model.Mapping;

/// <summary>
/// The state of one file in the mappings folder, for the log and the admin surface: which version is in force,
/// since when, and why the file on disk was rejected when it was.
/// </summary>
/// <param name="Organization">The organization the version in force maps; null until a version loaded.</param>
/// <param name="Version">Content hash of the version in force; null when none ever loaded.</param>
/// <param name="Errors">Why the current content on disk was rejected; empty when it is the version in force.</param>
/// <param name="Warnings">Things that do not stop the file, e.g. an organization that does not exist yet.</param>
public sealed record MappingFileStatus(
    string FileName,
    string? Organization,
    string? Version,
    DateTimeOffset? LoadedAt,
    IReadOnlyList<MappingError> Errors,
    IReadOnlyList<string> Warnings)
{
    public bool InForce => Version is not null;
}

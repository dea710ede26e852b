namespace ScimBridge.Model.Mapping;

/// <summary>Which version of its mapping file an organization's memberships were last recomputed with.</summary>
public sealed class AppliedMapping
{
    public Guid OrganizationId { get; set; }
    public string FileName { get; set; } = "";

    /// <summary>Content hash of the file that was applied.</summary>
    public string Version { get; set; } = "";

    public DateTimeOffset AppliedAt { get; set; }

    /// <summary>The text of that version, so it stays in force after a restart while a newer file is held by the guard.</summary>
    public string Content { get; set; } = "";
}

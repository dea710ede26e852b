namespace ScimBridge.Model.Mapping;

/// <summary>Where mapping files live and how changes to them are noticed (<c>ScimBridge:Mappings</c>).</summary>
public sealed class MappingOptions
{
    public const string Section = "ScimBridge:Mappings";

    /// <summary>The folder of mapping files; a relative path is looked up below the current directory, then the content root.</summary>
    public string Path { get; set; } = "mappings";

    /// <summary>Watch the folder and apply changed files while running; false reads it at start only.</summary>
    public bool Watch { get; set; } = true;

    /// <summary>Quiet time after a change event before the folder is read, so an editor's several writes count once.</summary>
    public int DebounceMilliseconds { get; set; } = 500;

    /// <summary>The folder is also re-read this often, for file systems whose change events get lost (network shares, containers).</summary>
    public int PollSeconds { get; set; } = 5;
}

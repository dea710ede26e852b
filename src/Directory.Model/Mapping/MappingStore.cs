using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ScimBridge.Model.Mapping;

/// <summary>
/// Holds the last good mapping file of each organization. <see cref="Reload"/> reads the folder: a file that fails
/// validation is reported (log and <see cref="Statuses"/>) and the previous version of it stays in force.
/// </summary>
public sealed class MappingStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, MappingFile> _byOrganization = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MappingFileStatus> _statuses = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _seenVersions = new(StringComparer.Ordinal);
    private readonly ILogger<MappingStore> _logger;
    private readonly TimeProvider _clock;

    public MappingStore(IOptions<MappingOptions> options, IHostEnvironment environment, ILogger<MappingStore> logger, TimeProvider clock)
    {
        _logger = logger;
        _clock = clock;
        Folder = ResolveFolder(options.Value.Path, environment.ContentRootPath);
    }

    /// <summary>The absolute path of the mappings folder.</summary>
    public string Folder { get; }

    /// <summary>Every file seen in the folder, in name order.</summary>
    public IReadOnlyList<MappingFileStatus> Statuses
    {
        get
        {
            lock (_lock)
            {
                return [.. _statuses.Values.OrderBy(s => s.FileName, StringComparer.Ordinal)];
            }
        }
    }

    /// <summary>The mapping files in force, one per organization.</summary>
    public IReadOnlyList<MappingFile> Files
    {
        get
        {
            lock (_lock)
            {
                return [.. _byOrganization.Values];
            }
        }
    }

    /// <summary>
    /// A relative path is looked up below the current directory (the repository root under
    /// <c>dotnet run --project src/Scim.Endpoint</c>), then the content root. When neither exists, the path below the
    /// current directory is watched for.
    /// </summary>
    public static string ResolveFolder(string path, string contentRoot)
    {
        if (Path.IsPathRooted(path))
        {
            return path;
        }

        var fromCurrent = Path.GetFullPath(path);
        var fromContentRoot = Path.GetFullPath(Path.Combine(contentRoot, path));
        return !System.IO.Directory.Exists(fromCurrent) && System.IO.Directory.Exists(fromContentRoot) ? fromContentRoot : fromCurrent;
    }

    /// <summary>The mapping files (<c>*.yaml</c>, <c>*.yml</c>) of a folder in name order; none when the folder does not exist.</summary>
    public static List<string> FilesIn(string folder) => System.IO.Directory.Exists(folder)
        ? [.. System.IO.Directory.EnumerateFiles(folder)
            .Where(f => f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
            .OrderBy(f => f, StringComparer.Ordinal)]
        : [];

    /// <summary>The mapping in force for an organization (by slug), or null when it has none.</summary>
    public MappingFile? For(string organizationSlug)
    {
        lock (_lock)
        {
            return _byOrganization.GetValueOrDefault(organizationSlug);
        }
    }

    /// <summary>Adds or clears non-blocking remarks on a file, e.g. that its organization does not exist yet.</summary>
    public void SetWarnings(string fileName, IReadOnlyList<string> warnings)
    {
        lock (_lock)
        {
            if (_statuses.TryGetValue(fileName, out var status) && !status.Warnings.SequenceEqual(warnings))
            {
                _statuses[fileName] = status with { Warnings = warnings };
            }
        }
    }

    /// <summary>Reads the folder and loads changed files; returns the organizations whose mapping in force changed.</summary>
    public IReadOnlyList<string> Reload()
    {
        var files = FilesIn(Folder);
        var changed = new List<string>();
        lock (_lock)
        {
            foreach (var path in files)
            {
                var name = Path.GetFileName(path);
                string text;
                try
                {
                    text = File.ReadAllText(path);
                }
                catch (IOException e)
                {
                    // Probably being written; the next event or poll reads it again.
                    _logger.LogDebug(e, "Mapping file {File} could not be read yet", name);
                    continue;
                }

                var version = MappingFileParser.VersionOf(text);
                if (_seenVersions.GetValueOrDefault(name) == version)
                {
                    continue;
                }

                _seenVersions[name] = version;
                Load(name, text, changed);
            }

            foreach (var gone in _statuses.Keys.Where(n => !files.Any(f => Path.GetFileName(f) == n)).ToList())
            {
                // A removed file stops applying; memberships it granted stay as they are (nothing is stripped by accident).
                var organization = _byOrganization.FirstOrDefault(p => p.Value.FileName == gone).Key;
                if (organization is not null)
                {
                    _byOrganization.Remove(organization);
                    changed.Add(organization);
                }

                _statuses.Remove(gone);
                _seenVersions.Remove(gone);
                _logger.LogWarning("Mapping file {File} was removed; memberships it granted stay until a new file applies", gone);
            }
        }

        return changed;
    }

    private void Load(string name, string text, List<string> changed)
    {
        var previous = _statuses.GetValueOrDefault(name);
        var result = MappingFileParser.Parse(name, text);
        var errors = result.Errors.ToList();
        if (result.File is { } file && _byOrganization.TryGetValue(file.Organization, out var other) && other.FileName != name)
        {
            errors.Add(new MappingError(name, 1, 1, $"organization '{file.Organization}' is already mapped by {other.FileName}; one file per organization"));
        }

        if (errors.Count > 0 || result.File is null)
        {
            foreach (var error in errors)
            {
                _logger.LogError("Mapping file rejected, the previous version stays in force: {MappingError}", error.ToString());
            }

            _statuses[name] = previous is null
                ? new MappingFileStatus(name, null, null, null, errors, [])
                : previous with { Errors = errors };
            return;
        }

        var loaded = result.File;
        if (previous?.Organization is { } oldOrganization && oldOrganization != loaded.Organization)
        {
            _byOrganization.Remove(oldOrganization);
            changed.Add(oldOrganization);
        }

        _byOrganization[loaded.Organization] = loaded;
        _statuses[name] = new MappingFileStatus(name, loaded.Organization, loaded.Version, _clock.GetUtcNow(), [], previous?.Warnings ?? []);
        changed.Add(loaded.Organization);
        _logger.LogInformation("Mapping file {File} version {Version} loaded for organization {Organization}: {Rules} rules",
            name, loaded.ShortVersion, loaded.Organization, loaded.Rules.Count + loaded.OrganizationRoles.Count);
    }
}

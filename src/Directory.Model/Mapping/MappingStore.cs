using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ScimBridge.Model.Mapping;

/// <summary>
/// The mapping files of the folder and the version in force for each organization. <see cref="Reload"/> reads the folder:
/// a file that fails validation is reported (log and <see cref="Statuses"/>); a valid new version becomes a candidate,
/// and goes in force only when <see cref="Accept"/>ed (the watcher does that once the guard lets it through). Until then,
/// and while it is <see cref="Hold"/>ed, the previous version stays in force for every recompute.
/// </summary>
public sealed class MappingStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, FileState> _files = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (MappingFile File, DateTimeOffset Since)> _inForce = new(StringComparer.Ordinal);
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
                return [.. _files.Values.OrderBy(f => f.Name, StringComparer.Ordinal).Select(StatusOf)];
            }
        }
    }

    /// <summary>The latest valid version of every file on disk, whether in force, waiting or held.</summary>
    public IReadOnlyList<MappingFile> Candidates
    {
        get
        {
            lock (_lock)
            {
                return [.. _files.Values.OrderBy(f => f.Name, StringComparer.Ordinal).Select(f => f.Candidate).OfType<MappingFile>()];
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
            return _inForce.TryGetValue(organizationSlug, out var inForce) ? inForce.File : null;
        }
    }

    /// <summary>The latest valid version on disk for an organization (by slug), in force or not; null when no valid file maps it.</summary>
    public MappingFile? CandidateFor(string organizationSlug)
    {
        lock (_lock)
        {
            return _files.Values.Select(f => f.Candidate).FirstOrDefault(c => c?.Organization == organizationSlug);
        }
    }

    /// <summary>The status of the file that maps an organization, or null when no file does.</summary>
    public MappingFileStatus? StatusFor(string organizationSlug)
    {
        lock (_lock)
        {
            return _files.Values.Where(f => f.Candidate?.Organization == organizationSlug).Select(StatusOf).FirstOrDefault();
        }
    }

    /// <summary>Puts a version in force for its organization and lifts its hold; nothing happens when it is in force already.</summary>
    public void Accept(MappingFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        lock (_lock)
        {
            if (_files.TryGetValue(file.FileName, out var state) && state.Hold?.Version == file.Version)
            {
                state.Hold = null;
            }

            if (_inForce.TryGetValue(file.Organization, out var current) && current.File.Version == file.Version)
            {
                return;
            }

            _inForce[file.Organization] = (file, _clock.GetUtcNow());
            _logger.LogInformation("Mapping file {File} version {Version} is in force for organization {Organization}: {Rules} rules",
                file.FileName, file.ShortVersion, file.Organization, file.Rules.Count + file.OrganizationRoles.Count);
        }
    }

    /// <summary>
    /// Puts the version last applied to the organization back in force when none is (after a restart, while the file on
    /// disk is held); the stored text is parsed again. Returns false when it cannot be read.
    /// </summary>
    public bool RestoreApplied(AppliedMapping applied)
    {
        ArgumentNullException.ThrowIfNull(applied);
        var result = MappingFileParser.Parse(applied.FileName, applied.Content);
        if (result.File is not { } file || file.Version != applied.Version)
        {
            _logger.LogWarning("The mapping version {Version} last applied from {File} cannot be restored from the database", applied.Version, applied.FileName);
            return false;
        }

        lock (_lock)
        {
            if (!_inForce.ContainsKey(file.Organization))
            {
                _inForce[file.Organization] = (file, applied.AppliedAt);
            }
        }

        return true;
    }

    /// <summary>Marks a candidate as held by the guard; returns false when that version was held already (log and audit it once).</summary>
    public bool Hold(MappingFile file, MappingImpact impact, string reason)
    {
        ArgumentNullException.ThrowIfNull(file);
        lock (_lock)
        {
            if (!_files.TryGetValue(file.FileName, out var state) || state.Candidate?.Version != file.Version || state.Hold?.Version == file.Version)
            {
                return false;
            }

            state.Hold = new MappingHold(file.Version, _clock.GetUtcNow(), impact, reason);
            return true;
        }
    }

    /// <summary>Whether this version of its file is held by the guard.</summary>
    public bool IsHeld(MappingFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        lock (_lock)
        {
            return _files.TryGetValue(file.FileName, out var state) && state.Hold?.Version == file.Version;
        }
    }

    /// <summary>Adds or clears non-blocking remarks on a file, e.g. that its organization does not exist yet.</summary>
    public void SetWarnings(string fileName, IReadOnlyList<string> warnings)
    {
        lock (_lock)
        {
            if (_files.TryGetValue(fileName, out var state))
            {
                state.Warnings = warnings;
            }
        }
    }

    /// <summary>Reads the folder and loads changed files; returns the organizations whose file on disk changed.</summary>
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
                if (_files.TryGetValue(name, out var seen) && seen.SeenVersion == version)
                {
                    continue;
                }

                Load(name, version, text, changed);
            }

            foreach (var gone in _files.Keys.Where(n => !files.Any(f => Path.GetFileName(f) == n)).ToList())
            {
                // A removed file stops applying; memberships it granted stay as they are (nothing is stripped by accident).
                if (_files[gone].Candidate?.Organization is { } organization)
                {
                    _inForce.Remove(organization);
                    changed.Add(organization);
                }

                _files.Remove(gone);
                _logger.LogWarning("Mapping file {File} was removed; memberships it granted stay until a new file applies", gone);
            }
        }

        return changed;
    }

    private void Load(string name, string version, string text, List<string> changed)
    {
        var state = _files.GetValueOrDefault(name) ?? (_files[name] = new FileState(name));
        state.SeenVersion = version;
        var result = MappingFileParser.Parse(name, text);
        var errors = result.Errors.ToList();
        if (result.File is { } file && _files.Values.FirstOrDefault(f => f != state && f.Candidate?.Organization == file.Organization) is { } other)
        {
            errors.Add(new MappingError(name, 1, 1, $"organization '{file.Organization}' is already mapped by {other.Name}; one file per organization"));
        }

        if (errors.Count > 0 || result.File is null)
        {
            foreach (var error in errors)
            {
                _logger.LogError("Mapping file rejected, the previous version stays in force: {MappingError}", error.ToString());
            }

            state.Errors = errors;
            return;
        }

        var loaded = result.File;
        if (state.Candidate?.Organization is { } oldOrganization && oldOrganization != loaded.Organization)
        {
            _inForce.Remove(oldOrganization);
            changed.Add(oldOrganization);
        }

        state.Candidate = loaded;
        state.Errors = [];
        state.Hold = null;
        changed.Add(loaded.Organization);
        _logger.LogInformation("Mapping file {File} version {Version} read for organization {Organization}", name, loaded.ShortVersion, loaded.Organization);
    }

    private MappingFileStatus StatusOf(FileState state)
    {
        var organization = state.Candidate?.Organization;
        (MappingFile File, DateTimeOffset Since)? inForce = organization is not null && _inForce.TryGetValue(organization, out var found) ? found : null;
        return new MappingFileStatus(state.Name, organization, inForce?.File.Version, inForce?.Since, state.Errors, state.Warnings, state.Hold);
    }

    /// <summary>What the store knows about one file of the folder.</summary>
    private sealed class FileState(string name)
    {
        public string Name { get; } = name;

        /// <summary>Content hash of the text last read, valid or not.</summary>
        public string? SeenVersion { get; set; }

        /// <summary>The latest valid version; it may be in force, waiting for the watcher, or held.</summary>
        public MappingFile? Candidate { get; set; }

        public IReadOnlyList<MappingError> Errors { get; set; } = [];
        public IReadOnlyList<string> Warnings { get; set; } = [];
        public MappingHold? Hold { get; set; }
    }
}

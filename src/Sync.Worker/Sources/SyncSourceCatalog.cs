using Microsoft.Extensions.Configuration;
using Quartz;
using ScimBridge.Model.Reconcile;
using ScimBridge.Model.Users;

namespace ScimBridge.Sync.Sources;

/// <summary>One configured source: its common options and its entry (with <c>*File</c> secrets resolved).</summary>
/// <param name="Path">Where the entry sits in configuration, e.g. <c>ScimBridge:Sync:Sources:0</c>.</param>
public sealed record ConfiguredSource(SyncSourceOptions Options, IConfigurationSection Section, string Path)
{
    public string Name => Options.Name;
}

/// <summary>
/// The sources of <c>ScimBridge:Sync:Sources</c>, bound once, and the factories that turn them into
/// <see cref="IDirectorySource"/>s. <see cref="Validate"/> lists every configuration problem, for the start-up check.
/// </summary>
public sealed class SyncSourceCatalog
{
    public const string Section = "ScimBridge:Sync:Sources";

    private readonly Dictionary<string, IDirectorySourceFactory> _factories;
    private readonly List<string> _bindProblems = [];

    public SyncSourceCatalog(IConfiguration configuration, IEnumerable<IDirectorySourceFactory> factories)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        _factories = factories.ToDictionary(f => f.Type, StringComparer.OrdinalIgnoreCase);
        var sources = new List<ConfiguredSource>();
        foreach (var entry in configuration.GetSection(Section).GetChildren())
        {
            var options = new SyncSourceOptions();
            entry.Bind(options);
            try
            {
                sources.Add(new ConfiguredSource(options, SecretFiles.Resolve(entry, Label(options, entry.Path)), entry.Path));
            }
            catch (InvalidOperationException ex)
            {
                _bindProblems.Add(ex.Message);
                sources.Add(new ConfiguredSource(options, entry, entry.Path));
            }
        }
        Sources = sources;
    }

    public IReadOnlyList<ConfiguredSource> Sources { get; }

    public IEnumerable<string> Types => _factories.Keys;

    public ConfiguredSource? Find(string name) =>
        Sources.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>A new source for one run. Throws when the type is unknown (the start-up check reports that earlier).</summary>
    public IDirectorySource Create(ConfiguredSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return _factories.TryGetValue(source.Options.Type, out var factory)
            ? factory.Create(source.Options, source.Section)
            : throw new InvalidOperationException(UnknownType(source.Options));
    }

    /// <summary>Every problem of every configured source, as sentences naming the source and the key.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>(_bindProblems);
        foreach (var duplicate in Sources.Where(s => !string.IsNullOrWhiteSpace(s.Name))
                     .GroupBy(s => s.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
        {
            problems.Add($"Sync source name '{duplicate.Key}' is used {duplicate.Count()} times; names must be unique.");
        }

        foreach (var (options, section, path) in Sources)
        {
            var label = Label(options, path);
            if (string.IsNullOrWhiteSpace(options.Name))
            {
                problems.Add($"{label}: Name is required.");
            }
            else if (ManagedBySources.Reserved.Contains(options.Name))
            {
                problems.Add($"{label}: Name '{options.Name}' is reserved (it marks users managed by SCIM, by hand or by a mapping file); choose another.");
            }
            if (string.IsNullOrWhiteSpace(options.Organization))
            {
                problems.Add($"{label}: Organization (the organization's slug) is required.");
            }
            CheckCron(problems, label, nameof(options.Schedule), options.Schedule);
            CheckCron(problems, label, nameof(options.FullSyncSchedule), options.FullSyncSchedule);
            if (options.FullSyncEveryRuns is < 1)
            {
                problems.Add($"{label}: FullSyncEveryRuns must be at least 1 (1 makes every run full).");
            }
            if (options.DeactivationThresholdPercent is < 0 or > 100 || double.IsNaN(options.DeactivationThresholdPercent))
            {
                problems.Add($"{label}: DeactivationThresholdPercent must be between 0 and 100.");
            }
            if (options.DeactivationThresholdCount < 0)
            {
                problems.Add($"{label}: DeactivationThresholdCount must not be negative.");
            }
            if (options.ReadTimeoutSeconds < 1)
            {
                problems.Add($"{label}: ReadTimeoutSeconds must be at least 1.");
            }

            if (!_factories.TryGetValue(options.Type, out var factory))
            {
                problems.Add(UnknownType(options));
                continue;
            }
            problems.AddRange(factory.Validate(options, section));
        }
        return problems;
    }

    private string UnknownType(SyncSourceOptions options) =>
        $"Sync source '{options.Name}': Type '{options.Type}' is not known; use one of {string.Join(", ", _factories.Keys.Order(StringComparer.Ordinal))}.";

    private static void CheckCron(List<string> problems, string label, string key, string? expression)
    {
        if (string.IsNullOrWhiteSpace(expression))
        {
            return;
        }
        try
        {
            _ = new CronExpression(expression);
        }
        catch (FormatException ex)
        {
            problems.Add($"{label}: {key} '{expression}' is not a valid Quartz cron expression ({ex.Message}); "
                + "Quartz cron has six or seven fields starting with seconds, e.g. '0 */15 * * * ?'.");
        }
    }

    private static string Label(SyncSourceOptions options, string path) =>
        string.IsNullOrWhiteSpace(options.Name) ? $"Sync source {path}" : $"Sync source '{options.Name}'";
}

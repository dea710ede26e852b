using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using ScimBridge.Model.Reconcile;

namespace ScimBridge.Sync.Sources.Entra;

/// <summary>Makes Entra ID sources (<c>"Type": "EntraId"</c>) from the flat keys of a source entry.</summary>
/// <param name="transport">Null in production; tests register one that reaches a local Graph stand-in.</param>
public sealed class EntraSourceFactory(ILoggerFactory loggers, TimeProvider time, EntraSourceTransport? transport = null)
    : IDirectorySourceFactory
{
    public const string TypeName = "EntraId";

    public string Type => TypeName;

    public IReadOnlyList<string> Validate(SyncSourceOptions options, IConfigurationSection section) =>
        EntraSourceSettings.Validate(Bind(options, section));

    public IDirectorySource Create(SyncSourceOptions options, IConfigurationSection section) =>
        new EntraDirectorySource(Bind(options, section), loggers.CreateLogger<EntraDirectorySource>(), time, transport);

    private static EntraSourceSettings Bind(SyncSourceOptions options, IConfigurationSection section)
    {
        var settings = new EntraSourceSettings();
        section.Bind(settings);
        settings.Name = options.Name;
        return settings;
    }
}

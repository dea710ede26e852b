using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using ScimBridge.Model.Reconcile;

namespace ScimBridge.Sync.Sources.Ldap;

/// <summary>Makes LDAP / Active Directory sources (<c>"Type": "Ldap"</c>) from the flat keys of a source entry.</summary>
public sealed class LdapSourceFactory(ILoggerFactory loggers, TimeProvider time) : IDirectorySourceFactory
{
    public const string TypeName = "Ldap";

    public string Type => TypeName;

    public IReadOnlyList<string> Validate(SyncSourceOptions options, IConfigurationSection section) =>
        LdapSourceSettings.Validate(Bind(options, section));

    public IDirectorySource Create(SyncSourceOptions options, IConfigurationSection section) =>
        new LdapDirectorySource(Bind(options, section), loggers.CreateLogger<LdapDirectorySource>(), time);

    public static LdapSourceSettings Bind(SyncSourceOptions options, IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = new LdapSourceSettings();
        section.Bind(settings);
        settings.Name = options.Name;
        settings.ReadTimeoutSeconds = options.ReadTimeoutSeconds;
        return settings;
    }
}

using System.Net;
using System.Reflection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ScimBridge.Model.Mapping;
using ScimBridge.Model.Persistence;
using ScimBridge.Scim.Options;
using ScimBridge.Scim.Tests.Infrastructure;
using ScimBridge.Sync;
using ScimBridge.Sync.Sources;
using ScimBridge.Sync.Sources.Entra;
using ScimBridge.Sync.Sources.Ldap;

namespace ScimBridge.Scim.Tests;

/// <summary>
/// <c>appsettings.sample.json</c> is what admins copy: every key in it must be a real setting, every setting must be in
/// it, and the service must start with it.
/// </summary>
public sealed class SampleSettingsTests
{
    private static readonly string SamplePath = Path.Combine(AppContext.BaseDirectory, "appsettings.sample.json");

    /// <summary>Settings classes by section, and the settings class of each source type.</summary>
    private static readonly (string Section, Type Options)[] Sections =
    [
        (DatabaseOptions.Section, typeof(DatabaseOptions)),
        (ScimOptions.Section, typeof(ScimOptions)),
        (AdminOptions.Section, typeof(AdminOptions)),
        (MappingOptions.Section, typeof(MappingOptions)),
        (SyncOptions.Section, typeof(SyncOptions)),
        (global::ScimBridge.Scim.Logging.LoggingOptions.Section, typeof(global::ScimBridge.Scim.Logging.LoggingOptions)),
        (global::ScimBridge.Scim.Operations.MetricsOptions.Section, typeof(global::ScimBridge.Scim.Operations.MetricsOptions)),
    ];

    private static readonly Dictionary<string, Type> SourceSettings = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Ldap"] = typeof(LdapSourceSettings),
        ["EntraId"] = typeof(EntraSourceSettings),
    };

    /// <summary>
    /// Alternatives the sample cannot show working without a file that exists on the reader's machine; the README
    /// documents them.
    /// </summary>
    // Files that must exist on the machine: a sample value would fail validation.
    private static readonly HashSet<string> ShownOnlyInReadme =
        ["EntraSourceSettings.CertificatePath", "EntraSourceSettings.CertificatePassword", "EntraSourceSettings.CaCertificatePath"];

    private static IConfigurationRoot Sample() => new ConfigurationBuilder().AddJsonFile(SamplePath).Build();

    private static IEnumerable<IConfigurationSection> SourceEntries(IConfiguration sample) =>
        sample.GetSection(SyncSourceCatalog.Section).GetChildren();

    private static IEnumerable<PropertyInfo> Settable(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod?.IsPublic == true);

    /// <summary>A section's keys, less those <paramref name="skip"/> names, as a configuration of their own.</summary>
    private static IConfiguration Without(IConfigurationSection section, IEnumerable<string> skip)
    {
        var skipped = skip.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var values = section.AsEnumerable(makePathsRelative: true)
            .Where(p => p.Value is not null && !skipped.Contains(p.Key.Split(':')[0]));
        return new ConfigurationBuilder().AddInMemoryCollection(values).Build();
    }

    private static void BindStrictly(IConfiguration configuration, Type type, string where)
    {
        var instance = Activator.CreateInstance(type)!;
        var error = Record.Exception(() => configuration.Bind(instance, o => o.ErrorOnUnknownConfiguration = true));
        Assert.True(error is null, $"{where}: {error?.Message}");
    }

    [Fact]
    public void Every_key_in_the_sample_is_a_setting_the_service_reads()
    {
        var sample = Sample();
        var sectionNames = Sections.Select(s => s.Section).Append("Serilog").Append("Urls").ToHashSet(StringComparer.OrdinalIgnoreCase);
        var unknownSections = sample.AsEnumerable().Where(p => p.Value is not null)
            .Select(p => p.Key)
            .Where(k => !sectionNames.Any(s => k.Equals(s, StringComparison.OrdinalIgnoreCase) || k.StartsWith(s + ":", StringComparison.OrdinalIgnoreCase)))
            .ToList();
        Assert.Empty(unknownSections);

        foreach (var (section, type) in Sections)
        {
            BindStrictly(Without(sample.GetSection(section), ["Sources"]), type, section);
        }

        var sourceKeys = Settable(typeof(SyncSourceOptions)).Select(p => p.Name).ToList();
        foreach (var entry in SourceEntries(sample))
        {
            var where = $"source '{entry["Name"]}'";
            Assert.True(SourceSettings.TryGetValue(entry["Type"] ?? "", out var settingsType), $"{where}: unknown Type '{entry["Type"]}'");
            var ownKeys = Settable(settingsType).Select(p => p.Name);
            BindStrictly(Without(entry, ownKeys), typeof(SyncSourceOptions), where);
            BindStrictly(Without(entry, sourceKeys.Except(ownKeys, StringComparer.OrdinalIgnoreCase)), settingsType, where);
        }
    }

    [Fact]
    public void Every_setting_appears_in_the_sample()
    {
        var sample = Sample();
        var missing = new List<string>();
        foreach (var (section, type) in Sections)
        {
            missing.AddRange(Settable(type).Where(p => !sample.GetSection(section).GetSection(p.Name).Exists() && p.Name != "Sources")
                .Select(p => $"{section}:{p.Name}"));
        }

        var entries = SourceEntries(sample).ToList();
        foreach (var (typeName, settingsType) in SourceSettings)
        {
            var ofType = entries.Where(e => string.Equals(e["Type"], typeName, StringComparison.OrdinalIgnoreCase)).ToList();
            foreach (var property in Settable(typeof(SyncSourceOptions)).Concat(Settable(settingsType)).DistinctBy(p => p.Name))
            {
                if (!ofType.Any(e => e.GetSection(property.Name).Exists()) && !ShownOnlyInReadme.Contains($"{settingsType.Name}.{property.Name}"))
                {
                    missing.Add($"source of type {typeName}: {property.Name}");
                }
            }
        }

        Assert.Empty(missing);
    }

    [Fact]
    public async Task The_service_starts_with_the_sample_and_uses_its_values()
    {
        using var factory = new SampleFactory();
        var client = factory.CreateClient();

        var health = await client.GetAsync("/healthz");
        var scim = factory.Services.GetRequiredService<IOptions<ScimOptions>>().Value;
        var catalog = factory.Services.GetRequiredService<SyncSourceCatalog>();

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("api://scimbridge", scim.JwtAudience);
        Assert.Equal(200, scim.RequestsPerSecondPerOrganization);
        Assert.Equal(["corp-ldap", "corp-ad", "entra", "entra-us-gov"], catalog.Sources.Select(s => s.Options.Name));
    }

    /// <summary>The service on the sample settings, with only the file locations moved to a temporary folder.</summary>
    private sealed class SampleFactory : ScimBridgeFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.ConfigureAppConfiguration((_, configuration) => configuration.AddJsonFile(SamplePath));
            base.ConfigureWebHost(builder);
            builder.UseSetting("ScimBridge:Sync:JobStoreConnectionString", $"Data Source={Path.Combine(DataFolder, "quartz.db")}");
            builder.UseSetting("Serilog:MinimumLevel:Default", "Warning");
        }
    }
}

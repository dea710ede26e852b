using System.Reflection;
using Serilog.Settings.Configuration;

namespace ScimBridge.Scim.Hosting;

/// <summary>How the <c>Serilog</c> settings are read.</summary>
public static class LogSettings
{
    /// <summary>
    /// Names the assemblies Serilog's settings reader takes sinks, enrichers and filters from: the application's own
    /// assemblies named like Serilog, which are the ones it would find itself, and those <c>Serilog:Using</c> names.
    /// Left to find them, it reads the dependency manifest and opens every DLL in the application folder whose name
    /// says Serilog, a noticeable part of an admin command's start.
    /// </summary>
    public static ConfigurationReaderOptions ReaderOptions(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var platform = AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? "";
        foreach (var path in platform.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var name = Path.GetFileNameWithoutExtension(path);
            if (name.Contains("serilog", StringComparison.OrdinalIgnoreCase))
            {
                names.Add(name);
            }
        }

        foreach (var used in configuration.GetSection("Serilog:Using").GetChildren())
        {
            if (!string.IsNullOrWhiteSpace(used.Value))
            {
                names.Add(used.Value);
            }
        }

        return new ConfigurationReaderOptions([.. names.Select(name => Assembly.Load(new AssemblyName(name)))]);
    }
}

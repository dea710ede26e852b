using Microsoft.Extensions.Configuration.Memory;

namespace ScimBridge.Scim.Hosting;

/// <summary>
/// The settings the service runs on when nothing else is given, built in so that a published folder, <c>dotnet run</c>
/// and an empty working directory behave alike. They sit below every other source: <c>appsettings.json</c> (and
/// <c>appsettings.{Environment}.json</c>) in the content root — the working directory, or <c>--contentRoot</c> —,
/// environment variables, then the command line.
/// </summary>
public static class ServiceDefaults
{
    public static readonly IReadOnlyDictionary<string, string?> Values = new Dictionary<string, string?>
    {
        ["Urls"] = "http://localhost:5080",
        ["Serilog:MinimumLevel:Default"] = "Information",
        ["Serilog:MinimumLevel:Override:Microsoft.AspNetCore"] = "Warning",
        ["Serilog:MinimumLevel:Override:Microsoft.Hosting.Lifetime"] = "Information",
        ["Serilog:MinimumLevel:Override:Microsoft.EntityFrameworkCore"] = "Warning",
        ["Serilog:MinimumLevel:Override:Quartz"] = "Warning",
        ["ScimBridge:Database:Provider"] = "Sqlite",
        ["ScimBridge:Database:ConnectionString"] = "Data Source=data/scimbridge.db",
    };

    /// <summary>
    /// The arguments a host builder is given: the settings from the command line, and no reload of <c>appsettings.json</c>
    /// on change. Settings are read once at start (a change takes a restart, as the README says). Reloading would
    /// watch the whole content root and its subfolders, and with the SQLite file in <c>data/</c> below it every write to
    /// the database or its WAL woke the watcher thread: about 5 % of the CPU of a stream of creates.
    /// </summary>
    public static string[] HostArgs(IReadOnlyList<string> settings) => [.. settings, "--hostBuilder:reloadConfigOnChange=false"];

    /// <summary>Puts the defaults below the sources the builder already has.</summary>
    public static void AddTo(IConfigurationBuilder configuration) =>
        configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = Values });
}

using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ScimBridge.Model.Mapping;
using ScimBridge.Scim.Tests.Infrastructure;

namespace ScimBridge.Scim.Tests.Mapping;

/// <summary>The service with a temporary mappings folder that is watched with short debounce and polling intervals.</summary>
public class MappingFactory : ScimBridgeFactory
{
    public MappingFactory()
    {
        System.IO.Directory.CreateDirectory(MappingsFolder);
    }

    public string MappingsFolder => Path.Combine(DataFolder, "mappings");

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["ScimBridge:Mappings:DebounceMilliseconds"] = "100",
        ["ScimBridge:Mappings:PollSeconds"] = "1",
    };

    public MappingStore Store => Services.GetRequiredService<MappingStore>();

    /// <summary>Writes a mapping file; returns its version (content hash).</summary>
    public string WriteMapping(string fileName, string yaml)
    {
        File.WriteAllText(Path.Combine(MappingsFolder, fileName), yaml);
        return MappingFileParser.VersionOf(yaml);
    }

    /// <summary>A user's teams as the SCIM User extension shows them, <c>Team:ROLE</c> in name order.</summary>
    public static async Task<List<string>> TeamsAsync(ScimApi api, string userId)
    {
        var user = await api.ExpectAsync(HttpStatusCode.OK, api.GetAsync($"/Users/{userId}"));
        var teams = user["urn:ietf:params:scim:schemas:extension:scimbridge:2.0:User"]?["teams"] as JsonArray ?? [];
        return [.. teams.Select(t => $"{(string?)t!["display"]}:{(string?)t["role"]}").Order(StringComparer.Ordinal)];
    }

    /// <summary>Waits until <paramref name="condition"/> holds, for up to 15 seconds.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(15), $"Timed out waiting for: {what}");
            await Task.Delay(100);
        }
    }
}

/// <summary>The watched mappings folder with the service on PostgreSQL, where recomputes use its bulk statements.</summary>
public sealed class PostgresMappingFactory : MappingFactory
{
    protected override bool OnPostgres => true;
}

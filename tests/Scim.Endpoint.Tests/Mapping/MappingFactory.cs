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

    /// <summary>Waits until <paramref name="condition"/> holds.</summary>
    public static Task EventuallyAsync(Func<Task<bool>> condition, string what) => Poll.UntilAsync(condition, what);

    /// <summary>
    /// Waits until the watcher has gone through a whole round that began after this call, so that whatever the files now
    /// in the folder lead to has happened. Two marker files (of an organization that does not exist) are written one after
    /// the other: a round that reads the second began after the round that read the first had finished.
    /// </summary>
    public async Task WatcherRoundAsync()
    {
        for (var i = 0; i < 2; i++)
        {
            var marker = $"zz-marker-{Guid.NewGuid():N}.yaml";
            WriteMapping(marker, "organization: no-such-organization\nrules: []\n");
            await EventuallyAsync(() => Task.FromResult(Store.Statuses.Any(s => s.FileName == marker)), "the watcher to read the folder");
            File.Delete(Path.Combine(MappingsFolder, marker));
        }
    }
}

/// <summary>The watched mappings folder with the service on PostgreSQL, where recomputes use its bulk statements.</summary>
public sealed class PostgresMappingFactory : MappingFactory
{
    protected override bool OnPostgres => true;
}

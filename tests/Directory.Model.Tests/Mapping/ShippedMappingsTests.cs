using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using ScimBridge.Model.Mapping;
using YamlDotNet.Serialization;

namespace ScimBridge.Model.Tests.Mapping;

/// <summary>
/// The examples in the repository's <c>mappings/examples/</c> folder validate, and the published JSON Schema agrees;
/// the live <c>mappings/</c> folder itself holds no mapping file, so nothing in the repository changes a real organization.
/// </summary>
public sealed class ShippedMappingsTests
{
    private static readonly string LiveFolder = FindMappingsFolder();
    private static readonly string Folder = Path.Combine(LiveFolder, "examples");

    public static TheoryData<string> Examples() => [.. MappingStore.FilesIn(Folder).Select(f => Path.GetFileName(f))];

    [Fact]
    public void The_three_examples_ship_outside_the_live_folder()
    {
        Assert.Equal(["acme.yaml", "globex.yaml", "initech.yaml"], MappingStore.FilesIn(Folder).Select(f => Path.GetFileName(f)));
        Assert.Empty(MappingStore.FilesIn(LiveFolder));
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Every_shipped_example_validates(string fileName)
    {
        var result = MappingFileParser.Parse(fileName, File.ReadAllText(Path.Combine(Folder, fileName)));

        Assert.True(result.IsValid, string.Join('\n', result.Errors));
        Assert.Equal(Path.GetFileNameWithoutExtension(fileName), result.File!.Organization);
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void The_json_schema_accepts_every_shipped_example(string fileName)
    {
        var result = Schema().Evaluate(ToJson(File.ReadAllText(Path.Combine(Folder, fileName))), new EvaluationOptions { OutputFormat = OutputFormat.List });

        Assert.True(result.IsValid, Describe(result));
    }

    [Theory]
    [InlineData("organization: acme\nrules:\n  - group: { displayName: A }\n    team: Sales\n    role: BOSS\n")]
    [InlineData("organization: acme\nrules:\n  - group: { displayName: A, id: B }\n    team: Sales\n    role: ADMIN\n")]
    [InlineData("organization: acme\nunmappedUsers: delete\nrules: []\n")]
    [InlineData("organisation: acme\nrules: []\n")]
    public void The_json_schema_rejects_what_the_parser_rejects(string yaml)
    {
        Assert.False(MappingFileParser.Parse("x.yaml", yaml).IsValid);
        Assert.False(Schema().Evaluate(ToJson(yaml)).IsValid);
    }

    // Built once: the library registers a schema by its $id and refuses to register it twice.
    private static readonly Lazy<JsonSchema> LoadedSchema = new(() => JsonSchema.FromText(File.ReadAllText(Path.Combine(LiveFolder, "mapping.schema.json"))));

    private static JsonSchema Schema() => LoadedSchema.Value;

    private static JsonElement ToJson(string yaml)
    {
        var value = new DeserializerBuilder().WithAttemptingUnquotedStringTypeDeserialization().Build().Deserialize<object>(yaml);
        return JsonSerializer.SerializeToElement(ToNode(value));
    }

    private static JsonNode? ToNode(object? value) => value switch
    {
        null => null,
        Dictionary<object, object?> map => new JsonObject(map.Select(p => KeyValuePair.Create(p.Key.ToString()!, ToNode(p.Value)))),
        List<object?> list => new JsonArray([.. list.Select(ToNode)]),
        bool b => JsonValue.Create(b),
        int i => JsonValue.Create(i),
        long l => JsonValue.Create(l),
        double d => JsonValue.Create(d),
        _ => JsonValue.Create(value.ToString()),
    };

    private static string Describe(EvaluationResults result) =>
        string.Join('\n', (result.Details ?? []).Where(d => d.Errors is not null)
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")));

    private static string FindMappingsFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "mappings");
            if (File.Exists(Path.Combine(candidate, "mapping.schema.json")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("The repository's mappings folder was not found above " + AppContext.BaseDirectory);
    }
}

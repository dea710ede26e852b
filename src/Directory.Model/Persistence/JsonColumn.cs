using System.Text.Json;

namespace ScimBridge.Model.Persistence;

/// <summary>
/// Lists stored as one JSON text column (camelCase keys). Public, and methods rather than lambdas over a field: the
/// compiled models (Persistence/CompiledModels) call these from the converters they contain.
/// </summary>
public static class JsonColumn
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static string Write<T>(List<T> list) => JsonSerializer.Serialize(list, Options);

    public static List<T> Read<T>(string text) => JsonSerializer.Deserialize<List<T>>(text, Options) ?? [];
}

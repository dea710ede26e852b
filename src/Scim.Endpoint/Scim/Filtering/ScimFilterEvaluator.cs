using System.Text.Json.Nodes;

namespace ScimBridge.Scim.Filtering;

/// <summary>Evaluates a filter against a JSON object in memory (PATCH element selection).</summary>
public static class ScimFilterEvaluator
{
    public static bool Matches(FilterNode filter, JsonNode? element) => throw new NotImplementedException();
}

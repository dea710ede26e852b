namespace ScimBridge.Scim.Tests.Infrastructure;

/// <summary>Recorded client payloads under Payloads/; <c>{{name}}</c> placeholders are filled per test.</summary>
public static class Payload
{
    public static string Load(string relativePath, params (string Name, string Value)[] values)
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Payloads", relativePath));
        foreach (var (name, value) in values)
        {
            text = text.Replace("{{" + name + "}}", value, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("{{", text, StringComparison.Ordinal);
        return text;
    }
}

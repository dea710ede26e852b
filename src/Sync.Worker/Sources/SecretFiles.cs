using Microsoft.Extensions.Configuration;

namespace ScimBridge.Sync.Sources;

/// <summary>
/// Secrets may be given as a file instead of a value (Docker/Kubernetes secrets): any key <c>XFile</c> of a source
/// entry names a file whose content becomes the value of <c>X</c> (e.g. <c>ClientSecretFile</c> → <c>ClientSecret</c>,
/// <c>PasswordFile</c> → <c>Password</c>). The values themselves never appear in messages.
/// </summary>
public static class SecretFiles
{
    private const string Suffix = "File";
    private const string Root = "Source";

    /// <summary>
    /// A copy of <paramref name="section"/> with every <c>XFile</c> key's file read into <c>X</c>. Throws
    /// <see cref="InvalidOperationException"/> when a file is missing or both <c>X</c> and <c>XFile</c> are set.
    /// </summary>
    public static IConfigurationSection Resolve(IConfigurationSection section, string label)
    {
        ArgumentNullException.ThrowIfNull(section);
        var values = section.AsEnumerable(makePathsRelative: true)
            .Where(p => p.Value is not null)
            .ToDictionary(p => p.Key, p => p.Value, StringComparer.OrdinalIgnoreCase);
        foreach (var child in section.GetChildren().ToList())
        {
            if (child.Key.Length <= Suffix.Length || !child.Key.EndsWith(Suffix, StringComparison.OrdinalIgnoreCase)
                || string.IsNullOrWhiteSpace(child.Value))
            {
                continue;
            }

            var key = child.Key[..^Suffix.Length];
            if (!string.IsNullOrEmpty(section[key]))
            {
                throw new InvalidOperationException($"{label}: set either {key} or {child.Key}, not both.");
            }
            if (!File.Exists(child.Value))
            {
                throw new InvalidOperationException($"{label}: {child.Key} '{child.Value}' does not exist.");
            }

            // Secret files usually end with a newline the secret does not contain.
            values[key] = File.ReadAllText(child.Value).TrimEnd('\r', '\n');
        }

        return new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(p => new KeyValuePair<string, string?>($"{Root}:{p.Key}", p.Value)))
            .Build()
            .GetSection(Root);
    }
}

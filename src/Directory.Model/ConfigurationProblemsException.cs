namespace ScimBridge.Model;

/// <summary>
/// Settings that cannot work, found while the service is composed (before options are validated): each problem names
/// the setting and how to fix it, and is shown on a line of its own.
/// </summary>
public sealed class ConfigurationProblemsException(IReadOnlyList<string> problems) : Exception(string.Join(Environment.NewLine, problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}

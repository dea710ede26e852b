namespace ScimBridge.Model.Commands;

/// <summary>A command run on the service's executable (e.g. <c>tokens create --org acme</c>) instead of serving requests.</summary>
public interface IAdminCommand
{
    /// <summary>The words that select the command, e.g. <c>["tokens", "create"]</c>.</summary>
    IReadOnlyList<string> Verb { get; }

    /// <summary>One line shown by <c>help</c>.</summary>
    string Usage { get; }

    /// <summary>Runs the command; the return value is the process exit code.</summary>
    Task<int> RunAsync(CommandArguments arguments, TextWriter output, CancellationToken ct);
}

using ScimBridge.Model.Commands;

namespace ScimBridge.Scim.Cli;

/// <summary>Runs an admin command (<c>tokens create</c>, <c>mappings validate</c>, <c>sync run</c>, …) instead of serving.</summary>
public static class AdminCommandLine
{
    private static readonly HashSet<string> Verbs = new(StringComparer.OrdinalIgnoreCase) { "tokens", "orgs", "mappings", "sync", "admin", "audit", "help" };

    public static bool IsCommand(string[] args) => args.Length > 0 && Verbs.Contains(args[0]);

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter output, TextWriter error)
    {
        await using var scope = services.CreateAsyncScope();
        var commands = scope.ServiceProvider.GetServices<IAdminCommand>().ToList();
        var command = commands
            .Where(c => c.Verb.Count <= args.Length && c.Verb.Select((w, i) => string.Equals(w, args[i], StringComparison.OrdinalIgnoreCase)).All(x => x))
            .MaxBy(c => c.Verb.Count);
        if (command is null)
        {
            await error.WriteLineAsync("Commands:");
            foreach (var c in commands.OrderBy(c => string.Join(' ', c.Verb), StringComparer.Ordinal))
            {
                await error.WriteLineAsync($"  {c.Usage}");
            }

            return args[0].Equals("help", StringComparison.OrdinalIgnoreCase) ? 0 : 2;
        }

        try
        {
            return await command.RunAsync(new CommandArguments(args.Skip(command.Verb.Count)), output, CancellationToken.None);
        }
        catch (CommandUsageException e)
        {
            await error.WriteLineAsync($"{e.Message}\nUsage: {command.Usage}");
            return 2;
        }
    }
}

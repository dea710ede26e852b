using System.Text.RegularExpressions;
using ScimBridge.Model.Commands;
using ScimBridge.Scim.Hosting;

namespace ScimBridge.Scim.Cli;

/// <summary>
/// Runs an admin command (<c>tokens create</c>, <c>mappings validate</c>, <c>sync run</c>, …) instead of serving.
/// Exit codes: 0 done, 1 the command failed (a one-line reason on standard error), 2 the command line was not
/// understood. Help goes to standard output; nothing is touched before the command line is known to be right.
/// </summary>
public static partial class AdminCommandLine
{
    /// <summary>Options every command accepts besides its own.</summary>
    private static readonly string[] CommonOptions = ["help", "verbose"];

    /// <summary>Runs the command <paramref name="args"/> name (settings already taken out).</summary>
    /// <param name="prepare">Runs once the command line is known to be right, before the command (e.g. migrating the database).</param>
    public static async Task<int> RunAsync(
        IServiceProvider services, IReadOnlyList<string> args, TextWriter output, TextWriter error, Func<IServiceProvider, Task>? prepare = null)
    {
        await using var scope = services.CreateAsyncScope();
        var commands = scope.ServiceProvider.GetServices<IAdminCommand>().ToList();
        var helpRequested = args.Count == 0 || IsHelpWord(args[0]);
        var words = helpRequested ? args.Skip(1).Where(a => !IsHelpWord(a)).ToList() : [.. args];
        var command = Match(commands, words);
        if (command is null)
        {
            var prefix = words.TakeWhile(w => !w.StartsWith('-')).ToList();
            var related = commands.Where(c => prefix.Count > 0 && string.Equals(c.Verb[0], prefix[0], StringComparison.OrdinalIgnoreCase)).ToList();
            if (helpRequested || (related.Count > 0 && words.Skip(1).Any(IsHelpWord)))
            {
                await WriteHelpAsync(output, related.Count > 0 ? related : commands, related.Count == 0);
                return 0;
            }

            await error.WriteLineAsync(related.Count > 0
                ? $"Unknown command '{string.Join(' ', prefix)}'. The {related[0].Verb[0]} commands:"
                : $"Unknown command '{string.Join(' ', prefix)}'. Commands:");
            await WriteCommandListAsync(error, related.Count > 0 ? related : commands);
            return 2;
        }

        var rest = words.Skip(command.Verb.Count).ToList();
        if (helpRequested || rest.Any(IsHelpWord))
        {
            await output.WriteLineAsync($"Usage: {command.Usage}");
            return 0;
        }

        var arguments = new CommandArguments(rest);
        var allowed = OptionsIn(command.Usage).Concat(CommonOptions).ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (arguments.OptionNames.FirstOrDefault(o => !allowed.Contains(o)) is { } unknown)
        {
            await error.WriteLineAsync($"Unknown option '--{unknown}' for {string.Join(' ', command.Verb)}.\nUsage: {command.Usage}");
            return 2;
        }

        try
        {
            if (prepare is not null)
            {
                await prepare(services);
            }

            return await command.RunAsync(arguments, output, CancellationToken.None);
        }
        catch (CommandUsageException e)
        {
            await error.WriteLineAsync($"{e.Message}\nUsage: {command.Usage}");
            return 2;
        }
        catch (CommandFailedException e)
        {
            await error.WriteLineAsync(e.Message);
            if (arguments.Flag("verbose") && e.InnerException is not null)
            {
                await error.WriteLineAsync(e.InnerException.ToString());
            }

            return 1;
        }
        catch (Exception e) when (StartupProblems.Describe(e) is { } problems)
        {
            await StartupProblems.WriteAsync(error, problems);
            return 1;
        }
        catch (Exception e) when (!arguments.Flag("verbose"))
        {
            await error.WriteLineAsync($"{string.Join(' ', command.Verb)} failed: {e.GetType().Name}: {e.Message} (--verbose shows the details)");
            return 1;
        }
    }

    /// <summary>The command whose verb is the longest prefix of <paramref name="words"/>.</summary>
    private static IAdminCommand? Match(List<IAdminCommand> commands, List<string> words) => commands
        .Where(c => c.Verb.Count <= words.Count && c.Verb.Select((w, i) => string.Equals(w, words[i], StringComparison.OrdinalIgnoreCase)).All(x => x))
        .MaxBy(c => c.Verb.Count);

    /// <summary>The options a usage line names (<c>--org</c>, <c>--force</c>, …): a command accepts those and no others.</summary>
    public static IEnumerable<string> OptionsIn(string usage) => OptionPattern().Matches(usage).Select(m => m.Groups[1].Value);

    private static bool IsHelpWord(string word) => word is "help" or "--help" or "-h" or "-?" or "/?";

    public static async Task WriteHelpAsync(TextWriter output, IEnumerable<IAdminCommand> commands, bool everything = true)
    {
        if (everything)
        {
            await output.WriteLineAsync("ScimBridge: SCIM 2.0 server, directory sync and admin commands.");
            await output.WriteLineAsync();
            await output.WriteLineAsync("Usage: ScimBridge.Scim [--Section:Key=value ...]           serve SCIM (and the scheduled sync)");
            await output.WriteLineAsync("       ScimBridge.Scim COMMAND [OPTIONS] [--Section:Key=value ...]");
            await output.WriteLineAsync();
            await output.WriteLineAsync("Commands:");
        }

        await WriteCommandListAsync(output, commands);
        if (everything)
        {
            await output.WriteLineAsync($"  {CommandLineSplit.WorkerUsage}");
            await output.WriteLineAsync("  help [COMMAND]   this list, or one command's usage (also: COMMAND --help)");
            await output.WriteLineAsync();
            await output.WriteLineAsync("Settings are read from appsettings.json in the working directory (or --contentRoot), then environment");
            await output.WriteLineAsync("variables (ScimBridge__Database__ConnectionString=...), then the command line (--ScimBridge:Database:ConnectionString=...).");
            await output.WriteLineAsync("Exit codes: 0 done, 1 failed, 2 command line not understood. --verbose shows stack traces of failures.");
        }
    }

    private static async Task WriteCommandListAsync(TextWriter output, IEnumerable<IAdminCommand> commands)
    {
        foreach (var c in commands.OrderBy(c => string.Join(' ', c.Verb), StringComparer.Ordinal))
        {
            await output.WriteLineAsync($"  {c.Usage}");
        }
    }

    [GeneratedRegex(@"--([A-Za-z][A-Za-z0-9-]*)")]
    private static partial Regex OptionPattern();
}

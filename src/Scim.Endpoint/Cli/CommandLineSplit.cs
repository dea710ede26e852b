namespace ScimBridge.Scim.Cli;

/// <summary>What the process was asked to do: serve, run only the scheduled sync, show help, or run an admin command.</summary>
public enum InvocationMode
{
    Serve,
    Worker,
    Help,
    Command,
    UsageError,
}

/// <summary>
/// The command line split into settings (<c>--Section:Key=value</c>, <c>--urls</c>, <c>--contentRoot</c>, …), which
/// every mode hands to its configuration, and the words of a command with its own options.
/// </summary>
public sealed record CommandLineSplit(InvocationMode Mode, IReadOnlyList<string> Settings, IReadOnlyList<string> Words, string? Problem = null)
{
    /// <summary>Settings without a <c>:</c> that .NET hosting and ASP.NET Core read from the command line.</summary>
    private static readonly HashSet<string> HostSettings = new(StringComparer.OrdinalIgnoreCase)
    {
        "urls", "contentRoot", "environment", "applicationName", "http_ports", "https_ports", "AllowedHosts", "webroot",
        "shutdownTimeoutSeconds", "preventHostingStartup", "hostingStartupAssemblies", "hostingStartupExcludeAssemblies",
    };

    private static readonly HashSet<string> HelpWords = new(StringComparer.OrdinalIgnoreCase) { "help", "--help", "-h", "-?", "/?" };

    public static CommandLineSplit Parse(IReadOnlyList<string> args)
    {
        var settings = new List<string>();
        var words = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (IsSetting(arg))
            {
                settings.Add(arg);
                if (!arg.Contains('=', StringComparison.Ordinal) && i + 1 < args.Count && !args[i + 1].StartsWith('-'))
                {
                    settings.Add(args[++i]);
                }
            }
            else
            {
                words.Add(arg);
            }
        }

        // Without a command, any --key=value is configuration, as .NET reads it (a host hands over whole sections that way).
        if (words.Count > 0 && words.All(w => w.StartsWith("--", StringComparison.Ordinal) && w.Contains('=', StringComparison.Ordinal)))
        {
            settings.AddRange(words);
            words.Clear();
        }

        if (words.Count == 0)
        {
            return new(InvocationMode.Serve, settings, words);
        }

        var first = words[0];
        if (HelpWords.Contains(first))
        {
            return new(InvocationMode.Help, settings, words);
        }

        if (first.StartsWith('-'))
        {
            return new(InvocationMode.UsageError, settings, words,
                $"Unknown option '{first}'. Settings are given as --Section:Key=value (e.g. --ScimBridge:Database:ConnectionString=...) " +
                "or --urls URL; `help` lists the commands.");
        }

        if (string.Equals(first, "worker", StringComparison.OrdinalIgnoreCase))
        {
            return words.Count == 1
                ? new(InvocationMode.Worker, settings, words)
                : words.Skip(1).Any(HelpWords.Contains)
                    ? new(InvocationMode.Help, settings, words)
                    : new(InvocationMode.UsageError, settings, words, $"Unknown option '{words[1]}' for worker. Usage: {WorkerUsage}");
        }

        return new(InvocationMode.Command, settings, words);
    }

    public const string WorkerUsage = "worker   run only the scheduled directory sync, without the SCIM server (a second process beside the service)";

    /// <summary>A <c>--name[=value]</c> argument that belongs to configuration rather than to a command.</summary>
    public static bool IsSetting(string arg)
    {
        if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
        {
            return false;
        }

        var name = arg[2..];
        var eq = name.IndexOf('=', StringComparison.Ordinal);
        if (eq >= 0)
        {
            name = name[..eq];
        }

        return name.Contains(':', StringComparison.Ordinal) || HostSettings.Contains(name);
    }
}

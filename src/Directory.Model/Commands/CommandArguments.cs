namespace ScimBridge.Model.Commands;

/// <summary>Options (<c>--name value</c>, <c>--flag</c>) and positional words that follow a command's verb.</summary>
public sealed class CommandArguments
{
    private readonly Dictionary<string, string?> _options = new(StringComparer.OrdinalIgnoreCase);

    public CommandArguments(IEnumerable<string> words)
    {
        var list = words.ToList();
        for (var i = 0; i < list.Count; i++)
        {
            var word = list[i];
            if (word.StartsWith("--", StringComparison.Ordinal))
            {
                var name = word[2..];
                var eq = name.IndexOf('=', StringComparison.Ordinal);
                if (eq >= 0)
                {
                    _options[name[..eq]] = name[(eq + 1)..];
                }
                else if (i + 1 < list.Count && !list[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    _options[name] = list[++i];
                }
                else
                {
                    _options[name] = null;
                }
            }
            else
            {
                Positional.Add(word);
            }
        }
    }

    public List<string> Positional { get; } = [];

    public string? Option(string name) => _options.GetValueOrDefault(name);

    public bool Flag(string name) => _options.ContainsKey(name);

    /// <summary>The names of all options given (without the leading <c>--</c>).</summary>
    public IEnumerable<string> OptionNames => _options.Keys;

    public string Required(string name) =>
        Option(name) is { Length: > 0 } value ? value : throw new CommandUsageException($"--{name} is required.");

    /// <summary>An organization slug option, normalized (trimmed, lowercase) and checked: <c>[a-z0-9-]</c>.</summary>
    public string RequiredSlug(string name = "org")
    {
        var slug = Organizations.Organization.NormalizeSlug(Required(name));
        return Organizations.Organization.SlugProblem(slug) is { } problem ? throw new CommandUsageException(problem) : slug;
    }

    /// <summary>A whole-number option, or <paramref name="fallback"/> when absent; a usage error when not a number.</summary>
    public int Number(string name, int fallback, int minimum = 0)
    {
        var text = Option(name);
        if (text is null)
        {
            return fallback;
        }

        return int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) && value >= minimum
            ? value
            : throw new CommandUsageException($"--{name} must be a whole number of at least {minimum}, not '{text}'.");
    }
}

/// <summary>The command line was not understood; the message says what to fix.</summary>
public sealed class CommandUsageException(string message) : Exception(message);

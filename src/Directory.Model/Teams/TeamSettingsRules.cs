using System.Text.Json;
using System.Text.RegularExpressions;
using ScimBridge.Model.Organizations;

namespace ScimBridge.Model.Teams;

/// <summary>One thing wrong with a value an admin entered, and the field it concerns.</summary>
public sealed record ValueProblem(string Field, string Message);

/// <summary>
/// Pure rules for a team's name and settings: normalises what can be normalised (phone numbers written with spaces,
/// scopes in lower case, repeated entries) and reports every problem at once, each with its field.
/// </summary>
public static partial class TeamSettingsRules
{
    public const int MaxNameLength = 100;
    public const int MaxListEntries = 100;
    public const int MaxEntryLength = 100;
    public const int MaxApiKeysLimit = 1000;
    public const int MaxNotificationsLength = 16_384;

    public static IReadOnlyList<ValueProblem> CheckName(string? name)
    {
        var trimmed = name?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            return [new("Name", "A team needs a name.")];
        }

        return trimmed.Length > MaxNameLength ? [new("Name", $"A team name has at most {MaxNameLength} characters.")] : [];
    }

    /// <summary>The settings normalised, and what is still wrong with them (nothing when they may be saved).</summary>
    public static (TeamSettings Settings, IReadOnlyList<ValueProblem> Problems) Check(TeamSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var problems = new List<ValueProblem>();
        foreach (var numberProblem in settings.BaseNumbers.Where(n => n.Trim().Length > 0).Select(PhoneNumbers.Problem).OfType<string>())
        {
            problems.Add(new("BaseNumbers", numberProblem));
        }

        var numbers = Distinct(settings.BaseNumbers.Select(PhoneNumbers.Normalize));

        var groups = Distinct(settings.ServerGroups.Select(g => g.Trim()));
        foreach (var group in groups.Where(g => g.Length > MaxEntryLength || g.Any(char.IsControl)))
        {
            problems.Add(new("ServerGroups", $"'{group}' is not a server group name (at most {MaxEntryLength} printable characters)."));
        }

        var scopes = Distinct(settings.ApiScopes.Select(s => s.Trim().ToUpperInvariant()));
        foreach (var scope in scopes.Where(s => !Scope().IsMatch(s)))
        {
            problems.Add(new("ApiScopes", $"'{scope}' is not an API scope: letters, digits and underscores, starting with a letter (e.g. CREATE_CALL_TOKEN)."));
        }

        CheckCount(problems, "BaseNumbers", "base numbers", numbers.Count);
        CheckCount(problems, "ServerGroups", "server groups", groups.Count);
        CheckCount(problems, "ApiScopes", "API scopes", scopes.Count);
        if (settings.MaxApiKeys is < 0 or > MaxApiKeysLimit)
        {
            problems.Add(new("MaxApiKeys", $"Max API keys must be between 0 and {MaxApiKeysLimit}."));
        }

        if (settings.MaxRequestsPerDay is < 1)
        {
            problems.Add(new("MaxRequestsPerDay", "Max requests per day must be at least 1; leave it empty for unlimited."));
        }

        var notifications = string.IsNullOrWhiteSpace(settings.NotificationsJson) ? null : settings.NotificationsJson.Trim();
        if (notifications is not null && NotificationsProblem(notifications) is { } problem)
        {
            problems.Add(new("NotificationsJson", problem));
        }

        var normalized = settings with { BaseNumbers = numbers, ServerGroups = groups, ApiScopes = scopes, NotificationsJson = notifications };
        return (normalized, problems);
    }

    /// <summary>
    /// Notifications are a JSON object: <c>recipients</c>, when present, a list of e-mail addresses; <c>thresholds</c>,
    /// when present, an object of numbers. Other members are kept as they are, for the platform to read.
    /// </summary>
    public static string? NotificationsProblem(string json)
    {
        if (json.Length > MaxNotificationsLength)
        {
            return $"Notifications are at most {MaxNotificationsLength:N0} characters of JSON.";
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $" at line {line + 1}, column {(e.BytePositionInLine ?? 0) + 1}" : "";
            return $"Notifications are not valid JSON{where}: {FirstSentence(e.Message)}";
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return $"Notifications must be a JSON object such as {{\"recipients\": [\"ops@example.org\"], \"thresholds\": {{\"missedCalls\": 10}}}}, not a {root.ValueKind.ToString().ToLowerInvariant()}.";
            }

            if (root.TryGetProperty("recipients", out var recipients))
            {
                if (recipients.ValueKind != JsonValueKind.Array)
                {
                    return "Notifications: \"recipients\" must be a list of e-mail addresses.";
                }

                foreach (var recipient in recipients.EnumerateArray())
                {
                    if (recipient.ValueKind != JsonValueKind.String || !Email().IsMatch(recipient.GetString()!))
                    {
                        return $"Notifications: recipient {recipient.GetRawText()} is not an e-mail address.";
                    }
                }
            }

            if (root.TryGetProperty("thresholds", out var thresholds))
            {
                if (thresholds.ValueKind != JsonValueKind.Object)
                {
                    return "Notifications: \"thresholds\" must be an object of numbers, e.g. {\"missedCalls\": 10}.";
                }

                foreach (var threshold in thresholds.EnumerateObject().Where(t => t.Value.ValueKind != JsonValueKind.Number))
                {
                    return $"Notifications: threshold \"{threshold.Name}\" must be a number, not {threshold.Value.GetRawText()}.";
                }
            }
        }

        return null;
    }

    private static List<string> Distinct(IEnumerable<string> values) =>
        [.. values.Where(v => v.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase)];

    private static void CheckCount(List<ValueProblem> problems, string field, string what, int count)
    {
        if (count > MaxListEntries)
        {
            problems.Add(new(field, $"A team has at most {MaxListEntries} {what}."));
        }
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message : message[..(end + 1)];
    }

    [GeneratedRegex("^[A-Z][A-Z0-9_]{0,63}$")]
    private static partial Regex Scope();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex Email();
}

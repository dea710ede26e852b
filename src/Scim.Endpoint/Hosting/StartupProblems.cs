using System.Net.Sockets;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;
using ScimBridge.Model;

namespace ScimBridge.Scim.Hosting;

/// <summary>
/// Turns the failures an administrator can fix — configuration mistakes, a port already in use — into one line each,
/// naming the setting and what to do, instead of an exception with a stack trace.
/// </summary>
public static partial class StartupProblems
{
    /// <summary>The lines describing <paramref name="exception"/>, or null when it is not a startup problem.</summary>
    public static IReadOnlyList<string>? Describe(Exception exception)
    {
        switch (exception)
        {
            case OptionsValidationException invalid:
                return [.. invalid.Failures.Select(f => Configuration(invalid.OptionsType, f))];
            case ConfigurationProblemsException problems:
                return [.. problems.Problems.Select(p => $"Configuration error: {p}")];
            case AggregateException aggregate when aggregate.InnerExceptions.Count > 0:
                var lines = new List<string>();
                foreach (var inner in aggregate.InnerExceptions)
                {
                    if (Describe(inner) is not { } innerLines)
                    {
                        return null;
                    }

                    lines.AddRange(innerLines);
                }

                return lines;
            case InvalidOperationException when ConversionPattern().Match(exception.Message) is { Success: true } conversion:
                return [$"Configuration error: {conversion.Groups["key"].Value}: {exception.InnerException?.Message ?? exception.Message} " +
                    $"Fix the value (type {ShortTypeName(conversion.Groups["type"].Value)})."];
            case InvalidOperationException or ArgumentException or FormatException when exception.Source == "Serilog.Settings.Configuration":
                // The logging section (Serilog:...) is read when the first logger is made; its mistakes are settings too.
                return [$"Configuration error: Serilog: {exception.Message} Fix the logging settings (README, Logs); a sink needs its Name, e.g. --Serilog:WriteTo:0:Name=Console."];
            case IOException when exception.InnerException is AddressInUseException || (exception.InnerException as SocketException)?.SocketErrorCode == SocketError.AddressAlreadyInUse:
                var address = AddressPattern().Match(exception.Message) is { Success: true } m ? m.Groups["address"].Value : "the configured address";
                return [$"Cannot listen on {address}: another process is using it. Stop that process or choose another port (--urls http://localhost:PORT, setting Urls)."];
            case IOException when exception.InnerException is SocketException { SocketErrorCode: SocketError.AccessDenied or SocketError.AddressNotAvailable } socket:
                var where = AddressPattern().Match(exception.Message) is { Success: true } a ? a.Groups["address"].Value : "the configured address";
                return [$"Cannot listen on {where}: {socket.Message}. Choose another address or port (--urls, setting Urls)."];
            case System.Data.Common.DbException database:
                // The message names the problem (refused connection, bad password, unreadable file); the connection string
                // is not repeated, it may carry a password.
                return [$"Database error: {database.Message.TrimEnd('.')}. Check ScimBridge:Database:Provider and ScimBridge:Database:ConnectionString."];
            case InvalidOperationException { InnerException: System.Data.Common.DbException inner }:
                return Describe(inner);
            default:
                return null;
        }
    }

    public static async Task WriteAsync(TextWriter error, IEnumerable<string> problems)
    {
        foreach (var problem in problems)
        {
            await error.WriteLineAsync(problem);
        }
    }

    /// <summary>One validation failure with the setting's full key where the failure names only a member.</summary>
    private static string Configuration(Type optionsType, string failure)
    {
        var section = optionsType.GetField("Section", BindingFlags.Public | BindingFlags.Static)?.GetRawConstantValue() as string;
        if (DataAnnotationPattern().Match(failure) is { Success: true } annotation)
        {
            var member = annotation.Groups["member"].Value;
            var key = section is null ? member : $"{section}:{member}";
            return $"Configuration error: {key}: {annotation.Groups["error"].Value}";
        }

        return $"Configuration error: {failure}";
    }

    private static string ShortTypeName(string type) => type[(type.LastIndexOf('.') + 1)..];

    [GeneratedRegex(@"DataAnnotation validation failed for '[^']*' members: '(?<member>[^']*)' with the error: '(?<error>.*)'\.?$", RegexOptions.Singleline)]
    private static partial Regex DataAnnotationPattern();

    [GeneratedRegex(@"Failed to convert configuration value at '(?<key>[^']*)' to type '(?<type>[^']*)'")]
    private static partial Regex ConversionPattern();

    [GeneratedRegex(@"address (?<address>\S+?)[:]? ")]
    private static partial Regex AddressPattern();
}

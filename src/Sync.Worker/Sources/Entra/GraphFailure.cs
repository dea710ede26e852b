using System.Text.Json;
using System.Text.RegularExpressions;
using Azure.Identity;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Kiota.Abstractions;

namespace ScimBridge.Sync.Sources.Entra;

/// <summary>Turns what failed while talking to Graph or signing in into one line an admin can act on, never a token or secret.</summary>
internal static partial class GraphFailure
{
    /// <summary>A truncated body, a reset connection or a response that ended early: worth one more try.</summary>
    public static bool IsTransient(Exception ex) => ex switch
    {
        JsonException or IOException => true,
        HttpRequestException http => http.HttpRequestError is HttpRequestError.ResponseEnded or HttpRequestError.InvalidResponse
            or HttpRequestError.ConnectionError or HttpRequestError.Unknown,
        _ => ex.InnerException is { } inner && inner is not ApiException && IsTransient(inner),
    };

    public static string Describe(Exception ex) => ex switch
    {
        ODataError odata => $"Graph answered HTTP {odata.ResponseStatusCode} {odata.Error?.Code}: {odata.Error?.Message}",
        ApiException api => $"Graph answered HTTP {api.ResponseStatusCode}",
        AggregateException { InnerExceptions: [.., ApiException last] } =>
            $"Graph kept answering HTTP {last.ResponseStatusCode} after {EntraGraphConnection.MaxRetries} retries",
        AuthenticationFailedException auth => SignIn(auth),
        JsonException json => $"Graph's answer is not complete JSON ({json.Message})",
        HttpRequestException http => $"Graph could not be reached or broke off its answer ({http.HttpRequestError}: {http.Message})",
        IOException io => $"the connection to Graph broke off ({io.Message})",
        TimeoutException or TaskCanceledException => "Graph did not answer in time",
        _ => ex.InnerException is { } inner ? Describe(inner) : $"{ex.GetType().Name}: {ex.Message}",
    };

    /// <summary>Entra's own answer (AADSTS code and message) when there is one, e.g. "AADSTS7000215: Invalid client secret provided."</summary>
    private static string SignIn(AuthenticationFailedException auth)
    {
        for (Exception? e = auth; e is not null; e = e.InnerException)
        {
            if (AadstsPattern().Match(e.Message) is { Success: true } match)
            {
                return $"sign-in to Entra ID failed: {match.Value.Trim()}";
            }
        }
        var firstLine = auth.Message.Split('\n', 2)[0].Trim();
        return $"sign-in to Entra ID failed (check tenant, client id and secret or certificate): {firstLine}";
    }

    /// <summary>The code and the first sentence of its message, up to Entra's "Trace ID".</summary>
    [GeneratedRegex(@"AADSTS\d+:[^\r\n]*?(?=\s*Trace ID|\r|\n|$)")]
    private static partial Regex AadstsPattern();
}

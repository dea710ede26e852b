using System.Text.Json;
using ScimBridge.Scim.Errors;

namespace ScimBridge.Scim.Resources;

/// <summary>
/// Rejects JSON that parses but means nothing certain: a name given twice in one object (compared case-insensitively,
/// as SCIM compares attribute names), and strings that are not valid Unicode (bytes that are not UTF-8, lone surrogate
/// escapes such as <c>"\ud800"</c>). System.Text.Json only notices those when a value is read, deep inside a handler.
/// </summary>
public static class JsonSyntaxCheck
{
    public static void Validate(ReadOnlySpan<byte> json, int maxDepth)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = maxDepth });
        var names = new Stack<HashSet<string>?>();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        names.Push(new HashSet<string>(StringComparer.OrdinalIgnoreCase));
                        break;
                    case JsonTokenType.StartArray:
                        names.Push(null);
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        names.Pop();
                        break;
                    case JsonTokenType.PropertyName:
                        var name = reader.GetString()!;
                        if (names.Peek()?.Add(name) == false)
                        {
                            throw ScimException.InvalidSyntax($"The request body names '{Shorten(name)}' twice in one object.");
                        }

                        break;
                    case JsonTokenType.String:
                        // Decoding is the check: invalid UTF-8 and unpaired surrogates throw here.
                        _ = reader.GetString();
                        break;
                }
            }
        }
        catch (InvalidOperationException e)
        {
            throw ScimException.InvalidSyntax($"The request body is not valid JSON text: {e.Message}");
        }
        catch (JsonException e)
        {
            throw ScimException.InvalidSyntax($"The request body is not valid JSON: {e.Message}");
        }
    }

    private static string Shorten(string name) => name.Length > 100 ? name[..100] + "…" : name;
}

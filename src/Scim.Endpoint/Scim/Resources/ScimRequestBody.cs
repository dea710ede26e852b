using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using ScimBridge.Scim.Errors;
using ScimBridge.Scim.Options;

namespace ScimBridge.Scim.Resources;

/// <summary>Reads a SCIM request body as a JSON object, enforcing the media type and the payload limit even for chunked bodies.</summary>
public static class ScimRequestBody
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64 };

    public static async Task<JsonObject> ReadObjectAsync(HttpContext http, CancellationToken ct)
    {
        var request = http.Request;
        if (!IsAcceptedMediaType(request.ContentType))
        {
            throw new ScimException(415, null, $"Send the body as {ScimJson.MediaType} or application/json.");
        }

        var limit = Options(http).MaxPayloadBytes;
        if (request.ContentLength > limit)
        {
            throw ScimException.PayloadTooLarge($"The request body is {request.ContentLength} bytes; the limit is {limit}.");
        }

        var buffer = new ArrayBufferWriter<byte>(request.ContentLength is > 0 and var length ? (int)length : 4096);
        while (true)
        {
            var memory = buffer.GetMemory(8192);
            int read;
            try
            {
                read = await request.Body.ReadAsync(memory, ct);
            }
            catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                throw ScimException.PayloadTooLarge($"The request body is larger than {limit} bytes.");
            }

            if (read == 0)
            {
                break;
            }

            buffer.Advance(read);
            if (buffer.WrittenCount > limit)
            {
                throw ScimException.PayloadTooLarge($"The request body is larger than {limit} bytes.");
            }
        }

        if (buffer.WrittenCount == 0)
        {
            throw ScimException.InvalidSyntax("The request body is empty.");
        }

        JsonSyntaxCheck.Validate(buffer.WrittenSpan, DocumentOptions.MaxDepth);
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(buffer.WrittenSpan, null, DocumentOptions);
        }
        catch (JsonException e)
        {
            throw ScimException.InvalidSyntax($"The request body is not valid JSON: {e.Message}");
        }

        return node as JsonObject ?? throw ScimException.InvalidSyntax("The request body must be a JSON object.");
    }

    /// <summary>The SCIM settings, for handlers that parse a body.</summary>
    public static ScimOptions Options(HttpContext http) => http.RequestServices.GetRequiredService<IOptions<ScimOptions>>().Value;

    private static bool IsAcceptedMediaType(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType))
        {
            return true;
        }

        var mediaType = contentType.AsSpan();
        var semicolon = mediaType.IndexOf(';');
        if (semicolon >= 0)
        {
            mediaType = mediaType[..semicolon];
        }

        mediaType = mediaType.Trim();
        return mediaType.Equals(ScimJson.MediaType, StringComparison.OrdinalIgnoreCase)
            || mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase);
    }
}

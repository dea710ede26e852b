using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ScimBridge.Scim.Resources;

/// <summary>A SCIM response: a JSON body written as <c>application/scim+json</c>, with optional ETag and Location.</summary>
public sealed class ScimJsonResult(int status, JsonNode body, string? etag = null, string? location = null) : IResult
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    public int Status => status;

    public JsonNode Body => body;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = status;
        response.ContentType = ScimJson.MediaType;
        if (etag is not null)
        {
            response.Headers.ETag = etag;
        }

        if (location is not null)
        {
            response.Headers.Location = location;
        }

        await using (var writer = new Utf8JsonWriter(response.BodyWriter, WriterOptions))
        {
            body.WriteTo(writer);
        }

        await response.BodyWriter.FlushAsync(httpContext.RequestAborted);
    }
}

/// <summary>A body-less SCIM response (204, 304) that may still carry an ETag.</summary>
public sealed class ScimEmptyResult(int status, string? etag = null) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = status;
        if (etag is not null)
        {
            httpContext.Response.Headers.ETag = etag;
        }

        return Task.CompletedTask;
    }
}

using Microsoft.Extensions.Options;
using ScimBridge.Scim.Options;

namespace ScimBridge.Scim.Errors;

/// <summary>
/// Gives every error under <c>/scim/v2</c> an RFC 7644 body, also those no handler wrote: unknown routes (404), methods a
/// route does not have (405), and request targets longer than <see cref="ScimOptions.MaxUrlLength"/> (414).
/// </summary>
public static class ScimStatusCodeBodies
{
    public static IApplicationBuilder UseScimStatusCodeBodies(this IApplicationBuilder app)
    {
        app.UseStatusCodePages(async context =>
        {
            var http = context.HttpContext;
            if (http.Request.Path.StartsWithSegments(ScimEndpoints.BasePath))
            {
                await ScimError.Of(http.Response.StatusCode, null, Detail(http)).WriteAsync(http);
            }
        });
        app.Use(async (http, next) =>
        {
            var limit = http.RequestServices.GetRequiredService<IOptions<ScimOptions>>().Value.MaxUrlLength;
            if (http.Request.Path.StartsWithSegments(ScimEndpoints.BasePath)
                && http.Request.Path.Value!.Length + http.Request.QueryString.Value?.Length > limit)
            {
                await ScimError.Of(StatusCodes.Status414UriTooLong, null,
                    $"The request target is longer than {limit} characters; send long filters with POST .search.").WriteAsync(http);
                return;
            }

            await next(http);
        });
        return app;
    }

    private static string Detail(HttpContext http) => http.Response.StatusCode switch
    {
        StatusCodes.Status404NotFound => $"No SCIM endpoint at {http.Request.Path}.",
        StatusCodes.Status405MethodNotAllowed => $"{http.Request.Method} is not allowed on {http.Request.Path}.",
        StatusCodes.Status413PayloadTooLarge => "The request body is larger than maxPayloadSize.",
        StatusCodes.Status414UriTooLong => "The request target is too long; send long filters with POST .search.",
        StatusCodes.Status415UnsupportedMediaType => $"Send the body as {ScimJson.MediaType} or application/json.",
        var status => $"The request failed with status {status}.",
    };
}

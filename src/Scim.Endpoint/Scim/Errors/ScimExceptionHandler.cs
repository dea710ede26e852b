using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using ScimBridge.Model.Provisioning;

namespace ScimBridge.Scim.Errors;

/// <summary>The one place where failures under <c>/scim/v2</c> become RFC 7644 error bodies.</summary>
public sealed class ScimExceptionHandler(ILogger<ScimExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!httpContext.Request.Path.StartsWithSegments(ScimEndpoints.BasePath))
        {
            return false;
        }

        var error = exception switch
        {
            ScimException e => ScimError.Of(e.Status, e.ScimType, e.Message),
            UniquenessConflictException e => ScimError.Of(409, ScimErrorTypes.Uniqueness, e.Message),
            ResourceNotFoundException e => ScimError.Of(404, null, e.Message),
            InvalidValueException e => ScimError.Of(400, ScimErrorTypes.InvalidValue, e.Message),
            MutabilityException e => ScimError.Of(400, ScimErrorTypes.Mutability, e.Message),
            JsonException e => ScimError.Of(400, ScimErrorTypes.InvalidSyntax, $"The request body is not valid JSON: {e.Message}"),
            BadHttpRequestException { StatusCode: 413 } => ScimError.Of(413, null, "The request body is larger than maxPayloadSize."),
            BadHttpRequestException e => ScimError.Of(e.StatusCode, ScimErrorTypes.InvalidSyntax, e.Message),
            _ => null,
        };
        if (error is null)
        {
            logger.LogError(exception, "Unhandled error on {Method} {Path}", httpContext.Request.Method, httpContext.Request.Path);
            error = ScimError.Of(500, null, "An internal error occurred.");
        }

        await error.WriteAsync(httpContext);
        return true;
    }
}

using ScimBridge.Scim.Admin.SignIn;

namespace ScimBridge.Scim.Admin.Api;

/// <summary>
/// The API's counterpart of the pages' filter: a signed-in person with a chosen organization, and for every POST a role
/// that may change things (Owner or Admin) and a JSON body. Failures are ProblemDetails.
/// </summary>
public sealed class AdminApiFilter(AdminSession session) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (!session.HasOrganization)
        {
            return TypedResults.Problem("Choose an organization first (/admin/organizations).", statusCode: StatusCodes.Status403Forbidden);
        }

        var request = context.HttpContext.Request;
        if (HttpMethods.IsPost(request.Method) && !request.HasJsonContentType())
        {
            // What a cross-site form can never send: the API's stand-in for the pages' antiforgery token.
            return TypedResults.Problem("POST a JSON body (Content-Type: application/json), at least {}.", statusCode: StatusCodes.Status415UnsupportedMediaType);
        }

        if (HttpMethods.IsPost(request.Method) && !session.CanChange)
        {
            return TypedResults.Problem($"Your role in {session.OrganizationSlug} ({session.Role}) may read but not change.", statusCode: StatusCodes.Status403Forbidden);
        }

        return await next(context);
    }
}

using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using ScimBridge.Scim.Admin.SignIn;

namespace ScimBridge.Scim.Admin.Api;

/// <summary>
/// The JSON admin API under <c>/admin/api</c>, behind the pages: the same session cookie, the same organization and
/// role checks (<see cref="AdminApiFilter"/>), the same operations. Described by OpenAPI at
/// <c>/admin/api/openapi/admin.json</c>. Every POST takes a JSON body (at least <c>{}</c>): a cross-site form cannot
/// send one, which stands in for the pages' antiforgery token.
/// </summary>
public static class AdminApi
{
    public const string BasePath = AdminConsole.BasePath + "/api";
    public const string DocumentName = "admin";

    public static IServiceCollection AddAdminApi(this IServiceCollection services)
    {
        services.AddOpenApi(DocumentName, options =>
        {
            options.ShouldInclude = description => description.RelativePath?.StartsWith(BasePath[1..], StringComparison.OrdinalIgnoreCase) == true;
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "ScimBridge admin API";
                document.Info.Description = "The admin console's operations as JSON. Sign in to the console first: the API uses its session cookie.";
                return Task.CompletedTask;
            });
        });
        return services;
    }

    /// <summary>An API request without a session answers 401 (and one the session may not make 403) instead of redirecting to the sign-in page.</summary>
    public static Task AnswerInsteadOfRedirect(RedirectContext<CookieAuthenticationOptions> context, int status, Func<RedirectContext<CookieAuthenticationOptions>, Task> otherwise)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(otherwise);
        if (!context.Request.Path.StartsWithSegments(BasePath, StringComparison.OrdinalIgnoreCase))
        {
            return otherwise(context);
        }

        context.Response.StatusCode = status;
        return Task.CompletedTask;
    }

    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi(BasePath + "/openapi/{documentName}.json");
        var api = app.MapGroup(BasePath)
            .RequireAuthorization(AdminAuthentication.Policy)
            .AddEndpointFilter<AdminApiFilter>();
        api.MapMappingApi();
        api.MapSyncApi();
        return app;
    }
}

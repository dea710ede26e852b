using System.Net;

namespace ScimBridge.Scim.Admin.Shared;

/// <summary>A console answer without a page of its own (404 for another organization's id, 403 for a refused change) gets a short page that says so.</summary>
public static class StatusPages
{
    public static IApplicationBuilder UseAdminStatusPages(this IApplicationBuilder app) =>
        app.UseWhen(context => context.Request.Path.StartsWithSegments(AdminConsole.BasePath), admin => admin.UseStatusCodePages(async context =>
        {
            var response = context.HttpContext.Response;
            var (title, text) = response.StatusCode switch
            {
                StatusCodes.Status404NotFound => ("Not found", "There is nothing at this address in your organization."),
                StatusCodes.Status403Forbidden => ("Not allowed", "Your organization role does not allow this change. Owners and Admins can change things; Viewers can read."),
                StatusCodes.Status400BadRequest => ("Refused", "The request was refused: a form was sent without its security token (open the page again and retry) or with values that make no sense."),
                _ => ("Error", "The request could not be served."),
            };
            response.ContentType = "text/html; charset=utf-8";
            await response.WriteAsync(
                $"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title} · ScimBridge</title></head><body><main>" +
                $"<h1>{title}</h1><p>{WebUtility.HtmlEncode(text)}</p><p><a href=\"{AdminConsole.BasePath}/users\">Users</a></p></main></body></html>");
        }));
}

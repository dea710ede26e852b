using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using ScimBridge.Scim.Admin.SignIn;

namespace ScimBridge.Scim.Admin.Shared;

/// <summary>
/// Guards every console page: a signed-in person without a chosen organization is sent to choose one, and every POST
/// needs a role that may change things (Owner or Admin) unless the page is marked <see cref="ViewerMayPostAttribute"/>.
/// Antiforgery tokens are checked before this, on every POST, by Razor Pages itself.
/// </summary>
public sealed class AdminPageFilter(AdminSession session) : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var page = context.HandlerInstance.GetType();
        if (page.IsDefined(typeof(AllowAnonymousAttribute), inherit: true))
        {
            await next();
            return;
        }

        if (!session.HasOrganization && !page.IsDefined(typeof(WithoutOrganizationAttribute), inherit: true))
        {
            context.Result = new RedirectResult(AdminConsole.BasePath + "/organizations");
            return;
        }

        if (HttpMethods.IsPost(context.HttpContext.Request.Method) && !session.CanChange
            && !page.IsDefined(typeof(ViewerMayPostAttribute), inherit: true))
        {
            context.Result = new StatusCodeResult(StatusCodes.Status403Forbidden);
            return;
        }

        await next();
    }
}

/// <summary>A page whose POST handlers change nothing in the directory (signing out, choosing an organization): Viewers may use them.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class ViewerMayPostAttribute : Attribute;

/// <summary>A page that works before an organization is chosen (the chooser itself).</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class WithoutOrganizationAttribute : Attribute;

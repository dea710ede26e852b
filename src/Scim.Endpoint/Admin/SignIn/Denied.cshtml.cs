using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ScimBridge.Scim.Admin.SignIn;

[AllowAnonymous]
public sealed class DeniedModel : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Reason { get; set; }

    public void OnGet() => Response.StatusCode = StatusCodes.Status403Forbidden;
}

using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ScimBridge.Scim.Admin;

/// <summary>The console's entry: the users list is where admins start.</summary>
public sealed class HomeModel : PageModel
{
    public IActionResult OnGet() => Redirect(AdminConsole.BasePath + "/users");
}

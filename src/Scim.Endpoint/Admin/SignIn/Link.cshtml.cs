using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ScimBridge.Scim.Admin.SignIn;

/// <summary>
/// A one-time link first shows a page with a button: link previews and mail scanners that fetch it do not use it up.
/// The POST uses it, atomically, and signs the person in.
/// </summary>
[AllowAnonymous]
public sealed class LinkModel(LoginLinks links) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string Secret { get; set; } = "";

    public string PersonName { get; private set; } = "";

    public string OrganizationName { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await links.PeekAsync(Secret, ct) is not { } found)
        {
            return Invalid();
        }

        PersonName = LoginLinks.NameOf(found.User);
        OrganizationName = found.Organization.Name;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (await links.RedeemAsync(Secret, ct) is not { } user)
        {
            return Invalid();
        }

        await HttpContext.SignInAsync(AdminAuthentication.CookieScheme, AdminPrincipal.ForUser(user.Id, LoginLinks.NameOf(user), "link"));
        return Redirect(AdminConsole.BasePath + "/users");
    }

    private RedirectResult Invalid() => Redirect(AdminConsole.BasePath + "/denied?reason=" + DeniedReasons.LinkInvalid);
}

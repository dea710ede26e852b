using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using ScimBridge.Scim.Options;

namespace ScimBridge.Scim.Admin.SignIn;

[AllowAnonymous]
public sealed class SignInModel(IOptions<AdminOptions> options) : PageModel
{
    public bool OpenIdConnectEnabled => options.Value.OpenIdConnectEnabled;

    public string ProviderName => options.Value.DisplayName;

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string ChallengeUrl => AdminConsole.BasePath + "/sign-in?handler=provider" + (SafeReturnUrl is { } url ? "&returnUrl=" + Uri.EscapeDataString(url) : "");

    private string? SafeReturnUrl => ReturnUrl is { } url && Url.IsLocalUrl(url) && url.StartsWith(AdminConsole.BasePath, StringComparison.Ordinal) ? url : null;

    public void OnGet()
    {
    }

    /// <summary>Sends the browser to the identity provider (authorization code flow with PKCE).</summary>
    public IActionResult OnGetProvider() => OpenIdConnectEnabled
        ? Challenge(new AuthenticationProperties { RedirectUri = SafeReturnUrl ?? AdminConsole.BasePath + "/users" }, AdminAuthentication.OpenIdConnectScheme)
        : RedirectToPage();
}

namespace ScimBridge.Scim.Admin.SignIn;

/// <summary>Why the console refused someone; the refusal page explains each in words.</summary>
public static class DeniedReasons
{
    public const string NotAUser = "not-a-user";
    public const string EmailNotVerified = "email-not-verified";
    public const string Role = "role";
    public const string Deactivated = "deactivated";
    public const string ProviderFailed = "provider-failed";
    public const string LinkInvalid = "link-invalid";

    public static string Explain(string? reason) => reason switch
    {
        NotAUser => "No user of any organization matches the account you signed in with. An Owner of your organization can add you, or your identity provider can provision you.",
        EmailNotVerified => "Your identity provider did not say that your e-mail address is verified, so it cannot be used to find your user. Ask your administrator to map your provider id to your user's externalId.",
        Role => "Your organization role does not open the console: Owners and Admins can change things, Viewers can read. An Owner can give you one of these roles.",
        Deactivated => "Your user is deactivated, so the console is closed to you.",
        ProviderFailed => "The sign-in with your identity provider did not complete. Try again; if it keeps failing, the service's log says why.",
        LinkInvalid => "This sign-in link has been used already, has expired, or was never valid. Ask for a new one.",
        _ => "You cannot use the console with this account.",
    };
}

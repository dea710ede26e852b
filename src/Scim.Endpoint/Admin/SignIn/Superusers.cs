using ScimBridge.Scim.Options;

namespace ScimBridge.Scim.Admin.SignIn;

/// <summary>Whether a person is one of the configured platform superusers, by provider id or verified e-mail.</summary>
public static class Superusers
{
    public static bool Includes(AdminOptions options, string? providerId, string? verifiedEmail) =>
        options.Superusers.Any(entry =>
            (providerId is not null && string.Equals(entry, providerId, StringComparison.Ordinal))
            || (verifiedEmail is not null && string.Equals(entry, verifiedEmail, StringComparison.OrdinalIgnoreCase)));
}

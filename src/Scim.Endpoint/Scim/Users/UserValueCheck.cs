using ScimBridge.Model.Users;
using ScimBridge.Scim.Resources;

namespace ScimBridge.Scim.Users;

/// <summary>Holds every value of a SCIM User to <see cref="ValueLimits"/>; a violation is 400 <c>invalidValue</c> naming the attribute.</summary>
public static class UserValueCheck
{
    public static UserProfile Check(UserProfile profile, ValueLimits limits)
    {
        limits.Identifier("userName", profile.UserName);
        limits.Identifier("externalId", profile.ExternalId);
        limits.Text("name.givenName", profile.Name.GivenName);
        limits.Text("name.familyName", profile.Name.FamilyName);
        limits.Text("name.middleName", profile.Name.MiddleName);
        limits.Text("name.honorificPrefix", profile.Name.HonorificPrefix);
        limits.Text("name.honorificSuffix", profile.Name.HonorificSuffix);
        limits.Text("name.formatted", profile.Name.Formatted);
        limits.Text("displayName", profile.DisplayName);
        limits.Text("nickName", profile.NickName);
        limits.Identifier("profileUrl", profile.ProfileUrl);
        limits.Text("title", profile.Title);
        limits.Text("userType", profile.UserType);
        limits.Identifier("preferredLanguage", profile.PreferredLanguage);
        limits.Identifier("locale", profile.Locale);
        limits.Identifier("timezone", profile.TimeZone);

        limits.Count("emails", profile.Emails.Count);
        foreach (var email in profile.Emails)
        {
            limits.Identifier("emails.value", email.Value);
            limits.Text("emails.type", email.Type);
            limits.Text("emails.display", email.Display);
        }

        limits.Count("phoneNumbers", profile.PhoneNumbers.Count);
        foreach (var phone in profile.PhoneNumbers)
        {
            limits.Identifier("phoneNumbers.value", phone.Value);
            limits.Text("phoneNumbers.type", phone.Type);
            limits.Text("phoneNumbers.display", phone.Display);
        }

        limits.Count("addresses", profile.Addresses.Count);
        foreach (var address in profile.Addresses)
        {
            limits.Text("addresses.type", address.Type);
            limits.Text("addresses.formatted", address.Formatted);
            limits.Text("addresses.streetAddress", address.StreetAddress);
            limits.Text("addresses.locality", address.Locality);
            limits.Text("addresses.region", address.Region);
            limits.Text("addresses.postalCode", address.PostalCode);
            limits.Text("addresses.country", address.Country);
        }

        limits.Count("roles", profile.Roles.Count);
        foreach (var role in profile.Roles)
        {
            limits.Text("roles.value", role.Value);
            limits.Text("roles.display", role.Display);
            limits.Text("roles.type", role.Type);
        }

        limits.Text("employeeNumber", profile.Enterprise.EmployeeNumber);
        limits.Text("costCenter", profile.Enterprise.CostCenter);
        limits.Text("organization", profile.Enterprise.Organization);
        limits.Text("division", profile.Enterprise.Division);
        limits.Text("department", profile.Enterprise.Department);
        limits.Identifier("extension", profile.Platform.PhoneExtension);
        limits.Identifier("outboundCallerId", profile.Platform.OutboundCallerId);
        limits.Text("companyName", profile.Platform.CompanyName);
        limits.Text("subscriptionTier", profile.Platform.SubscriptionTier);
        return profile;
    }
}

using ScimBridge.Model.Reconcile;
using ScimBridge.Model.Users;
using GraphUser = Microsoft.Graph.Models.User;

namespace ScimBridge.Sync.Sources.Entra;

/// <summary>Graph <c>user</c> → <see cref="SourceUser"/>. The selected properties are the ones this mapping reads.</summary>
internal static class EntraUserMapping
{
    /// <summary>Properties requested from <c>/users</c> and <c>/users/delta</c>.</summary>
    public static readonly string[] SelectedProperties =
    [
        "id", "userPrincipalName", "mail", "givenName", "surname", "displayName", "jobTitle", "department",
        "employeeId", "mobilePhone", "businessPhones", "accountEnabled", "preferredLanguage", "companyName",
        "officeLocation", "userType",
    ];

    public static SourceUser ToSourceUser(GraphUser user)
    {
        if (string.IsNullOrEmpty(user.Id))
        {
            throw new DirectoryReadException("Graph returned a user without an id.");
        }
        if (string.IsNullOrWhiteSpace(user.UserPrincipalName))
        {
            // Every Entra user has one; its absence means the response is not what was asked for.
            throw new DirectoryReadException($"Graph returned user {user.Id} without a userPrincipalName.");
        }

        // A missing accountEnabled (never expected with $select) must not lock anybody out.
        var enabled = user.AccountEnabled ?? true;
        var profile = new UserProfile
        {
            UserName = user.UserPrincipalName,
            ExternalId = user.Id,
            Name = new PersonName(GivenName: Blank(user.GivenName), FamilyName: Blank(user.Surname)),
            DisplayName = Blank(user.DisplayName),
            Title = Blank(user.JobTitle),
            UserType = Blank(user.UserType),
            PreferredLanguage = Blank(user.PreferredLanguage),
            Active = enabled,
            Emails = string.IsNullOrWhiteSpace(user.Mail) ? [] : [new EmailAddress(user.Mail.Trim(), "work", Primary: true)],
            PhoneNumbers = Phones(user),
            Enterprise = new EnterpriseAttributes(EmployeeNumber: Blank(user.EmployeeId), Department: Blank(user.Department)),
            Platform = new PlatformAttributes(CompanyName: Blank(user.CompanyName)),
        };
        return new SourceUser(user.Id, profile, enabled);
    }

    private static List<PhoneNumber> Phones(GraphUser user)
    {
        var phones = new List<PhoneNumber>();
        foreach (var business in user.BusinessPhones ?? [])
        {
            if (!string.IsNullOrWhiteSpace(business))
            {
                phones.Add(new PhoneNumber(business.Trim(), "work"));
            }
        }
        if (!string.IsNullOrWhiteSpace(user.MobilePhone))
        {
            phones.Add(new PhoneNumber(user.MobilePhone.Trim(), "mobile"));
        }
        return phones;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

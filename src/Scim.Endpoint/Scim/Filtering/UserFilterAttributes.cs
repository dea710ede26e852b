using System.Linq.Expressions;
using ScimBridge.Model.Users;

namespace ScimBridge.Scim.Filtering;

/// <summary>Which column answers each filterable SCIM User attribute, and with which case rule.</summary>
internal static class UserFilterAttributes
{
    public static readonly AttributeScope Scope = Build();

    private static AttributeScope Build()
    {
        const string core = ScimUrns.User;
        const string enterprise = ScimUrns.EnterpriseUser;
        const string platform = ScimUrns.PlatformUser;

        var emails = new AttributeScope("User.emails")
            .Add(core, "value", new StringFilterAttribute(Column<UserEmail>(e => e.Value), StringCase.Normalized, Column<UserEmail>(e => e.NormalizedValue)))
            .Add(core, "type", Upper<UserEmail>(e => e.Type))
            .Add(core, "primary", new BooleanFilterAttribute((Expression<Func<UserEmail, bool>>)(e => e.Primary)))
            .Add(core, "display", Upper<UserEmail>(e => e.Display));
        var phoneNumbers = new AttributeScope("User.phoneNumbers")
            .Add(core, "value", Upper<UserPhoneNumber>(p => p.Value))
            .Add(core, "type", Upper<UserPhoneNumber>(p => p.Type))
            .Add(core, "primary", new BooleanFilterAttribute((Expression<Func<UserPhoneNumber, bool>>)(p => p.Primary)))
            .Add(core, "display", Upper<UserPhoneNumber>(p => p.Display));

        // Sorting by emails means by the primary (else first) address.
        Expression<Func<User, string?>> primaryEmail =
            u => u.Emails.OrderByDescending(e => e.Primary).ThenBy(e => e.Id).Select(e => e.NormalizedValue).FirstOrDefault();

        return new AttributeScope("User")
            .Add(core, "id", new GuidFilterAttribute((Expression<Func<User, Guid>>)(u => u.Id)))
            .Add(core, "userName", new StringFilterAttribute(Column<User>(u => u.UserName), StringCase.Normalized, Column<User>(u => u.NormalizedUserName)))
            .Add(core, "externalId", Exact<User>(u => u.ExternalId))
            .Add(core, "name.givenName", Upper<User>(u => u.GivenName))
            .Add(core, "name.familyName", Upper<User>(u => u.FamilyName))
            .Add(core, "name.middleName", Upper<User>(u => u.MiddleName))
            .Add(core, "name.formatted", Upper<User>(u => u.FormattedName))
            .Add(core, "name.honorificPrefix", Upper<User>(u => u.HonorificPrefix))
            .Add(core, "name.honorificSuffix", Upper<User>(u => u.HonorificSuffix))
            .Add(core, "displayName", Upper<User>(u => u.DisplayName))
            .Add(core, "nickName", Upper<User>(u => u.NickName))
            .Add(core, "title", Upper<User>(u => u.Title))
            .Add(core, "userType", Upper<User>(u => u.UserType))
            .Add(core, "preferredLanguage", Upper<User>(u => u.PreferredLanguage))
            .Add(core, "locale", Upper<User>(u => u.Locale))
            .Add(core, "timezone", Upper<User>(u => u.TimeZone))
            .Add(core, "profileUrl", Upper<User>(u => u.ProfileUrl))
            .Add(core, "active", new BooleanFilterAttribute((Expression<Func<User, bool>>)(u => u.Status != UserStatus.Deactivated)))
            .Add(core, "meta.created", new DateTimeFilterAttribute((Expression<Func<User, DateTimeOffset>>)(u => u.CreatedAt)))
            .Add(core, "meta.lastModified", new DateTimeFilterAttribute((Expression<Func<User, DateTimeOffset>>)(u => u.UpdatedAt)))
            .Add(core, "emails", CollectionFilterAttribute.Navigation<User, UserEmail>(u => u.Emails, emails, primaryEmail))
            .Add(core, "phoneNumbers", CollectionFilterAttribute.Navigation<User, UserPhoneNumber>(u => u.PhoneNumbers, phoneNumbers))
            .Add(enterprise, "employeeNumber", Upper<User>(u => u.EmployeeNumber))
            .Add(enterprise, "costCenter", Upper<User>(u => u.CostCenter))
            .Add(enterprise, "organization", Upper<User>(u => u.EnterpriseOrganization))
            .Add(enterprise, "division", Upper<User>(u => u.Division))
            .Add(enterprise, "department", Upper<User>(u => u.Department))
            .Add(enterprise, "manager", Exact<User>(u => u.ManagerId))
            .Add(enterprise, "manager.value", Exact<User>(u => u.ManagerId))
            .Add(platform, "extension", Upper<User>(u => u.PhoneExtension))
            .Add(platform, "outboundCallerId", Upper<User>(u => u.OutboundCallerId))
            .Add(platform, "companyName", Upper<User>(u => u.CompanyName))
            .Add(platform, "subscriptionTier", Upper<User>(u => u.SubscriptionTier));
    }

    /// <summary>The user attributes plus <c>addresses</c>, answered by EXISTS over <paramref name="addresses"/>.</summary>
    public static AttributeScope WithAddresses(IQueryable<UserAddressRow> addresses) =>
        Scope.With(ScimUrns.User, "addresses", CollectionFilterAttribute.Correlated<User, UserAddressRow>(addresses, (u, a) => a.UserId == u.Id, Address));

    private static readonly AttributeScope Address = new AttributeScope("User.addresses")
        .Add(ScimUrns.User, "type", Upper<UserAddressRow>(a => a.Type))
        .Add(ScimUrns.User, "formatted", Upper<UserAddressRow>(a => a.Formatted))
        .Add(ScimUrns.User, "streetAddress", Upper<UserAddressRow>(a => a.StreetAddress))
        .Add(ScimUrns.User, "locality", Upper<UserAddressRow>(a => a.Locality))
        .Add(ScimUrns.User, "region", Upper<UserAddressRow>(a => a.Region))
        .Add(ScimUrns.User, "postalCode", Upper<UserAddressRow>(a => a.PostalCode))
        .Add(ScimUrns.User, "country", Upper<UserAddressRow>(a => a.Country))
        .Add(ScimUrns.User, "primary", new BooleanFilterAttribute((Expression<Func<UserAddressRow, bool>>)(a => a.Primary)));

    internal static LambdaExpression Column<T>(Expression<Func<T, string?>> column) => column;

    internal static StringFilterAttribute Upper<T>(Expression<Func<T, string?>> column) => new(column, StringCase.Upper);

    internal static StringFilterAttribute Exact<T>(Expression<Func<T, string?>> column) => new(column, StringCase.Exact);
}

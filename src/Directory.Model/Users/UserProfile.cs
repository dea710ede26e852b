namespace ScimBridge.Model.Users;

/// <summary>Everything a provisioning source may set on a user; SCIM pushes and directory syncs both speak this shape.</summary>
public sealed record UserProfile
{
    public required string UserName { get; init; }
    public string? ExternalId { get; init; }
    public PersonName Name { get; init; } = PersonName.Empty;
    public string? DisplayName { get; init; }
    public string? NickName { get; init; }
    public string? ProfileUrl { get; init; }
    public string? Title { get; init; }
    public string? UserType { get; init; }
    public string? PreferredLanguage { get; init; }
    public string? Locale { get; init; }
    public string? TimeZone { get; init; }
    public bool Active { get; init; } = true;
    public IReadOnlyList<EmailAddress> Emails { get; init; } = [];
    public IReadOnlyList<PhoneNumber> PhoneNumbers { get; init; } = [];
    public IReadOnlyList<PostalAddress> Addresses { get; init; } = [];
    public IReadOnlyList<UserRole> Roles { get; init; } = [];
    public EnterpriseAttributes Enterprise { get; init; } = EnterpriseAttributes.Empty;
    public PlatformAttributes Platform { get; init; } = PlatformAttributes.Empty;

    /// <summary>The address used for sign-in and notifications: the primary e-mail, else the first.</summary>
    public string? PrimaryEmail => (Emails.FirstOrDefault(e => e.Primary) ?? (Emails.Count > 0 ? Emails[0] : null))?.Value;

    /// <summary>Value equality over the collections too, so a re-sync with the same data is recognised as no change.</summary>
    public bool SameAs(UserProfile other) =>
        this with { Emails = [], PhoneNumbers = [], Addresses = [], Roles = [] } == other with { Emails = [], PhoneNumbers = [], Addresses = [], Roles = [] }
        && Emails.SequenceEqual(other.Emails)
        && PhoneNumbers.SequenceEqual(other.PhoneNumbers)
        && Addresses.SequenceEqual(other.Addresses)
        && Roles.SequenceEqual(other.Roles);
}

/// <summary>SCIM <c>name</c> complex attribute.</summary>
public sealed record PersonName(
    string? GivenName = null,
    string? FamilyName = null,
    string? MiddleName = null,
    string? HonorificPrefix = null,
    string? HonorificSuffix = null,
    string? Formatted = null)
{
    public static readonly PersonName Empty = new();
}

/// <summary>Attributes of the SCIM enterprise user extension.</summary>
public sealed record EnterpriseAttributes(
    string? EmployeeNumber = null,
    string? CostCenter = null,
    string? Organization = null,
    string? Division = null,
    string? Department = null,
    string? ManagerId = null)
{
    public static readonly EnterpriseAttributes Empty = new();
}

/// <summary>The telephony platform's own user fields.</summary>
public sealed record PlatformAttributes(
    string? PhoneExtension = null,
    string? OutboundCallerId = null,
    string? CompanyName = null,
    string? SubscriptionTier = null)
{
    public static readonly PlatformAttributes Empty = new();
}

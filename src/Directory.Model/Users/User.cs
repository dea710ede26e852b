using ScimBridge.Model.Organizations;

namespace ScimBridge.Model.Users;

/// <summary>A platform account. Provisioning deactivates and soft-deletes; rows are never removed by a sync or a SCIM client.</summary>
public sealed class User
{
    public Guid Id { get; set; } = EntityIds.New();
    public Guid OrganizationId { get; set; }

    public string UserName { get; private set; } = "";
    public string NormalizedUserName { get; private set; } = "";
    public string? ExternalId { get; set; }

    public string? GivenName { get; set; }
    public string? FamilyName { get; set; }
    public string? MiddleName { get; set; }
    public string? HonorificPrefix { get; set; }
    public string? HonorificSuffix { get; set; }
    public string? FormattedName { get; set; }
    public string? DisplayName { get; set; }
    public string? NickName { get; set; }
    public string? ProfileUrl { get; set; }
    public string? Title { get; set; }
    public string? UserType { get; set; }
    public string? PreferredLanguage { get; set; }
    public string? Locale { get; set; }
    public string? TimeZone { get; set; }

    public List<UserEmail> Emails { get; set; } = [];
    public List<UserPhoneNumber> PhoneNumbers { get; set; } = [];
    public List<PostalAddress> Addresses { get; set; } = [];
    public List<UserRole> Roles { get; set; } = [];

    public string? EmployeeNumber { get; set; }
    public string? CostCenter { get; set; }
    public string? EnterpriseOrganization { get; set; }
    public string? Division { get; set; }
    public string? Department { get; set; }
    public string? ManagerId { get; set; }

    public string? PhoneExtension { get; set; }
    public string? OutboundCallerId { get; set; }
    public string? CompanyName { get; set; }
    public string? SubscriptionTier { get; set; }
    public Guid? DefaultTeamId { get; set; }

    /// <summary>Organization-wide role; null means the platform's default.</summary>
    public OrganizationRole? OrganizationRole { get; set; }

    /// <summary>True when <see cref="OrganizationRole"/> comes from a mapping file, which may then change it; false when set by hand.</summary>
    public bool OrganizationRoleFromMapping { get; set; }

    public UserStatus Status { get; private set; } = UserStatus.Prepared;

    /// <summary>Status to return to on reactivation.</summary>
    public UserStatus StatusBeforeDeactivation { get; private set; } = UserStatus.Prepared;

    public DateTimeOffset? DeactivatedAt { get; private set; }

    /// <summary>The sync source that deactivated the user (only that source may reactivate it); null when anyone else did.</summary>
    public string? DeactivatedBy { get; private set; }

    /// <summary>Which source manages this user: <c>scim</c>, <c>manual</c>, or a sync source's name.</summary>
    public string ManagedBy { get; set; } = ManagedBySources.Manual;

    /// <summary>The managing source's stable id for the user (entryUUID, objectGUID, Entra object id).</summary>
    public string? SourceKey { get; set; }

    /// <summary>Fingerprint of the profile the managing source last supplied; a re-sync skips users whose fingerprint is unchanged.</summary>
    public string? SourceFingerprint { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Set by a SCIM DELETE: hidden from SCIM, kept with its history, restorable by an admin.</summary>
    public DateTimeOffset? DeletedAt { get; private set; }

    /// <summary>Incremented on every change; the SCIM ETag.</summary>
    public int Version { get; set; } = 1;

    public bool Active => Status != UserStatus.Deactivated;

    public string? PrimaryEmail => (Emails.FirstOrDefault(e => e.Primary) ?? Emails.FirstOrDefault())?.Value;

    public static string Normalize(string value) => value.Trim().ToUpperInvariant();

    public void Rename(string userName)
    {
        UserName = userName.Trim();
        NormalizedUserName = Normalize(userName);
    }

    public void Deactivate(DateTimeOffset now, string? bySource = null)
    {
        if (Status == UserStatus.Deactivated)
        {
            return;
        }

        StatusBeforeDeactivation = Status;
        Status = UserStatus.Deactivated;
        DeactivatedAt = now;
        DeactivatedBy = bySource;
    }

    public void Reactivate()
    {
        if (Status != UserStatus.Deactivated)
        {
            return;
        }

        Status = StatusBeforeDeactivation == UserStatus.Deactivated ? UserStatus.Prepared : StatusBeforeDeactivation;
        DeactivatedAt = null;
        DeactivatedBy = null;
    }

    /// <summary>Moves an account along prepared → invited → active; the platform calls this, provisioning does not.</summary>
    public void AdvanceTo(UserStatus status)
    {
        if (status == UserStatus.Deactivated)
        {
            throw new ArgumentException("Use Deactivate to deactivate a user.", nameof(status));
        }

        Status = status;
    }

    public void MarkDeleted(DateTimeOffset now) => DeletedAt = now;

    public void Restore() => DeletedAt = null;

    /// <summary>The user's provisioned attributes as a source sees them.</summary>
    public UserProfile ToProfile() => new()
    {
        UserName = UserName,
        ExternalId = ExternalId,
        Name = new PersonName(GivenName, FamilyName, MiddleName, HonorificPrefix, HonorificSuffix, FormattedName),
        DisplayName = DisplayName,
        NickName = NickName,
        ProfileUrl = ProfileUrl,
        Title = Title,
        UserType = UserType,
        PreferredLanguage = PreferredLanguage,
        Locale = Locale,
        TimeZone = TimeZone,
        Active = Active,
        Emails = [.. Emails.OrderBy(e => e.Id).Select(e => new EmailAddress(e.Value, e.Type, e.Primary, e.Display))],
        PhoneNumbers = [.. PhoneNumbers.OrderBy(p => p.Id).Select(p => new PhoneNumber(p.Value, p.Type, p.Primary, p.Display))],
        Addresses = [.. Addresses],
        Roles = [.. Roles],
        Enterprise = new EnterpriseAttributes(EmployeeNumber, CostCenter, EnterpriseOrganization, Division, Department, ManagerId),
        Platform = new PlatformAttributes(PhoneExtension, OutboundCallerId, CompanyName, SubscriptionTier),
    };

    /// <summary>Copies a profile's attributes onto the user; activation is handled separately by the caller.</summary>
    public void ApplyProfile(UserProfile profile)
    {
        Rename(profile.UserName);
        ExternalId = profile.ExternalId;
        GivenName = profile.Name.GivenName;
        FamilyName = profile.Name.FamilyName;
        MiddleName = profile.Name.MiddleName;
        HonorificPrefix = profile.Name.HonorificPrefix;
        HonorificSuffix = profile.Name.HonorificSuffix;
        FormattedName = profile.Name.Formatted;
        DisplayName = profile.DisplayName;
        NickName = profile.NickName;
        ProfileUrl = profile.ProfileUrl;
        Title = profile.Title;
        UserType = profile.UserType;
        PreferredLanguage = profile.PreferredLanguage;
        Locale = profile.Locale;
        TimeZone = profile.TimeZone;
        Emails = [.. profile.Emails.Select(e => new UserEmail
        {
            UserId = Id,
            Value = e.Value,
            NormalizedValue = Normalize(e.Value),
            Type = e.Type,
            Primary = e.Primary,
            Display = e.Display,
        })];
        PhoneNumbers = [.. profile.PhoneNumbers.Select(p => new UserPhoneNumber
        {
            UserId = Id,
            Value = p.Value,
            Type = p.Type,
            Primary = p.Primary,
            Display = p.Display,
        })];
        Addresses = [.. profile.Addresses];
        Roles = [.. profile.Roles];
        EmployeeNumber = profile.Enterprise.EmployeeNumber;
        CostCenter = profile.Enterprise.CostCenter;
        EnterpriseOrganization = profile.Enterprise.Organization;
        Division = profile.Enterprise.Division;
        Department = profile.Enterprise.Department;
        ManagerId = profile.Enterprise.ManagerId;
        PhoneExtension = profile.Platform.PhoneExtension;
        OutboundCallerId = profile.Platform.OutboundCallerId;
        CompanyName = profile.Platform.CompanyName;
        SubscriptionTier = profile.Platform.SubscriptionTier;
    }
}

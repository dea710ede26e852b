namespace ScimBridge.Model.Users;

/// <summary>An e-mail address of a user (SCIM <c>emails</c>).</summary>
public sealed record EmailAddress(string Value, string? Type = null, bool Primary = false, string? Display = null);

/// <summary>A phone number of a user (SCIM <c>phoneNumbers</c>).</summary>
public sealed record PhoneNumber(string Value, string? Type = null, bool Primary = false, string? Display = null);

/// <summary>A role of a user (SCIM <c>roles</c>), e.g. an Entra ID app role assignment.</summary>
public sealed record UserRole(string Value, string? Display = null, string? Type = null, bool Primary = false);

/// <summary>A postal address of a user (SCIM <c>addresses</c>).</summary>
public sealed record PostalAddress
{
    public string? Type { get; init; }
    public string? Formatted { get; init; }
    public string? StreetAddress { get; init; }
    public string? Locality { get; init; }
    public string? Region { get; init; }
    public string? PostalCode { get; init; }
    public string? Country { get; init; }
    public bool Primary { get; init; }
}

/// <summary>Stored row of a user's e-mail address; the normalised value makes case-insensitive lookups indexable.</summary>
public sealed class UserEmail
{
    public long Id { get; set; }
    public Guid UserId { get; set; }
    public string Value { get; set; } = "";
    public string NormalizedValue { get; set; } = "";
    public string? Type { get; set; }
    public bool Primary { get; set; }
    public string? Display { get; set; }
}

/// <summary>Stored row of a user's phone number.</summary>
public sealed class UserPhoneNumber
{
    public long Id { get; set; }
    public Guid UserId { get; set; }
    public string Value { get; set; } = "";
    public string? Type { get; set; }
    public bool Primary { get; set; }
    public string? Display { get; set; }
}

namespace ScimBridge.Model.Users;

/// <summary>
/// One element of a user's <see cref="User.Addresses"/>, read out of the stored JSON by the database (a row source for
/// filters such as <c>addresses[type eq "work"].postalCode eq "…"</c>; nothing is ever written through it).
/// </summary>
public sealed class UserAddressRow
{
    public Guid UserId { get; init; }
    public string? Type { get; init; }
    public string? Formatted { get; init; }
    public string? StreetAddress { get; init; }
    public string? Locality { get; init; }
    public string? Region { get; init; }
    public string? PostalCode { get; init; }
    public string? Country { get; init; }
    public bool Primary { get; init; }
}

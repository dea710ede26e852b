namespace ScimBridge.Model.Organizations;

/// <summary>
/// A phone number the organization owns on the platform. Teams take their base numbers from these (the console's
/// multi-select), so a team can only use a number the organization has.
/// </summary>
public sealed class OrganizationNumber
{
    public Guid Id { get; set; } = EntityIds.New();

    public Guid OrganizationId { get; set; }

    /// <summary>The number in international form (E.164): a <c>+</c> and 7 to 15 digits.</summary>
    public string Number { get; set; } = "";

    /// <summary>What admins call it, e.g. "Berlin main line"; optional.</summary>
    public string? Label { get; set; }

    public DateTimeOffset AddedAt { get; set; }
}

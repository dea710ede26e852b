using ScimBridge.Model.Audit;
using ScimBridge.Model.Organizations;
using ScimBridge.Model.Provisioning;
using ScimBridge.Model.Users;

namespace ScimBridge.Scim.Admin.SignIn;

/// <summary>
/// The signed-in person for this request: whom they act as, in which organization, with which role. Filled from the
/// directory on every request by <see cref="AdminSessionValidator"/>, so a role change or a deactivation counts at once.
/// </summary>
public sealed class AdminSession
{
    public bool IsSignedIn { get; private set; }

    /// <summary>The name recorded as actor (an e-mail address, or the userName).</summary>
    public string PersonName { get; private set; } = "";

    /// <summary>The directory user the person is; null for a superuser who is none in this organization.</summary>
    public Guid? UserId { get; private set; }

    public bool IsSuperuser { get; private set; }

    public Guid OrganizationId { get; private set; }

    public string OrganizationSlug { get; private set; } = "";

    public string OrganizationName { get; private set; } = "";

    public bool HasOrganization => OrganizationId != Guid.Empty;

    public OrganizationRole Role { get; private set; }

    /// <summary>Owners and Admins change things; Viewers only read.</summary>
    public bool CanChange => Role >= OrganizationRole.Admin;

    public bool IsOwner => Role == OrganizationRole.Owner;

    public AuditActor Actor => AuditActor.Admin(PersonName);

    /// <summary>The context every console change passes to the Provisioning operations.</summary>
    public ProvisioningContext Provisioning(string? cause = null) => new(OrganizationId, Actor, ManagedBySources.Manual, cause);

    internal void SignedIn(string personName, Guid? userId, bool superuser)
    {
        IsSignedIn = true;
        PersonName = personName;
        UserId = userId;
        IsSuperuser = superuser;
    }

    internal void InOrganization(Organization organization, OrganizationRole role)
    {
        OrganizationId = organization.Id;
        OrganizationSlug = organization.Slug;
        OrganizationName = organization.Name;
        Role = role;
    }

    /// <summary>Whether a person with <paramref name="role"/> may use the console at all.</summary>
    public static bool Admits(OrganizationRole? role) => role is OrganizationRole.Owner or OrganizationRole.Admin or OrganizationRole.Viewer;
}

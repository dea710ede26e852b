using System.Security.Claims;
using ScimBridge.Model.Audit;
using ScimBridge.Model.Provisioning;
using ScimBridge.Model.Users;

namespace ScimBridge.Scim.Auth;

/// <summary>The organization and client a SCIM request acts for, taken from its authenticated principal.</summary>
public sealed record ScimTenant(Guid OrganizationId, string ClientName)
{
    public const string OrganizationClaim = "scimbridge:org";
    public const string ClientClaim = "scimbridge:client";

    public AuditActor Actor => AuditActor.ScimClient(ClientName);

    public ProvisioningContext Provisioning => new(OrganizationId, Actor, ManagedBySources.Scim);

    public static ScimTenant From(ClaimsPrincipal principal) => new(
        Guid.Parse(principal.FindFirstValue(OrganizationClaim) ?? throw new InvalidOperationException("Request is not authenticated for SCIM.")),
        principal.FindFirstValue(ClientClaim) ?? "unknown");

    public static ClaimsPrincipal Principal(Guid organizationId, string clientName, string scheme) =>
        new(new ClaimsIdentity(
            [new Claim(OrganizationClaim, organizationId.ToString()), new Claim(ClientClaim, clientName)],
            scheme));
}

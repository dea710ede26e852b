using ScimBridge.Model.Audit;

namespace ScimBridge.Model.Provisioning;

/// <summary>Who is provisioning, on behalf of which managing source, and why.</summary>
/// <param name="OrganizationId">The organization every change belongs to.</param>
/// <param name="Actor">Recorded in the audit trail.</param>
/// <param name="ManagedBy">The source that will own created users and groups (<c>scim</c> or a sync source's name).</param>
/// <param name="Cause">Optional reason carried into audit entries.</param>
public sealed record ProvisioningContext(Guid OrganizationId, AuditActor Actor, string ManagedBy, string? Cause = null)
{
    /// <summary>
    /// Recorded as the deactivator of users this context deactivates: a sync source's name or <c>mapping</c>, which alone
    /// may reactivate them; null for an identity provider's push or an admin, whose deactivations anyone may undo.
    /// </summary>
    public string? DeactivatesAs { get; init; }
}

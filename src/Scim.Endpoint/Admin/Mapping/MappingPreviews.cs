using System.Collections.Concurrent;

namespace ScimBridge.Scim.Admin.Mapping;

/// <summary>
/// The last assessment of each organization's file on disk, kept between views of the mapping page. Assessing a held
/// version reads and plans every user (seconds at 100,000 users), while nothing changes between two views as long as the
/// file version and the organization's audit head (see <see cref="MappingOverview"/>) stay the same; either one moving
/// makes the next view assess again, so the page always shows what a Release would do now.
/// </summary>
public sealed class MappingPreviews
{
    private readonly ConcurrentDictionary<Guid, Kept> _byOrganization = new();

    public PlanView? Find(Guid organizationId, string version, long? auditHead) =>
        _byOrganization.TryGetValue(organizationId, out var kept) && kept.Version == version && kept.AuditHead == auditHead ? kept.View : null;

    public void Keep(Guid organizationId, string version, long? auditHead, PlanView view) =>
        _byOrganization[organizationId] = new Kept(version, auditHead, view);

    private sealed record Kept(string Version, long? AuditHead, PlanView View);
}

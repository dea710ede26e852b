using Microsoft.EntityFrameworkCore;
using ScimBridge.Model.Organizations;
using ScimBridge.Model.Persistence;
using ScimBridge.Model.Users;

namespace ScimBridge.Scim.Admin.SignIn;

/// <summary>A directory user a signing-in person matched, in one organization.</summary>
public sealed record AdminCandidate(Guid UserId, Guid OrganizationId, string OrganizationSlug, string OrganizationName, OrganizationRole? Role, bool Active, bool ByProviderId)
{
    public bool Admitted => Active && AdminSession.Admits(Role);
}

/// <summary>
/// Finds the directory users a person signing in is: by the identity provider's stable id (the user's externalId),
/// else, in organizations where no user carries that id, by a verified e-mail address (an e-mail or the userName).
/// </summary>
public sealed class AdminIdentityMatcher(ScimBridgeDbContext db)
{
    public async Task<IReadOnlyList<AdminCandidate>> FindAsync(string? providerId, string? verifiedEmail, CancellationToken ct)
    {
        var byId = string.IsNullOrEmpty(providerId)
            ? []
            : await Candidates(db.Users.Where(u => u.ExternalId == providerId), byProviderId: true).ToListAsync(ct);
        var byEmail = new List<AdminCandidate>();
        if (!string.IsNullOrWhiteSpace(verifiedEmail))
        {
            var normalized = User.Normalize(verifiedEmail);
            var owners = db.Set<UserEmail>().Where(e => e.NormalizedValue == normalized).Select(e => e.UserId);
            byEmail = await Candidates(db.Users.Where(u => u.NormalizedUserName == normalized || owners.Contains(u.Id)), byProviderId: false).ToListAsync(ct);
        }

        var organizationsById = byId.Select(c => c.OrganizationId).ToHashSet();
        return [.. byId.Concat(byEmail.Where(c => !organizationsById.Contains(c.OrganizationId)))
            .DistinctBy(c => c.UserId)
            .OrderBy(c => c.OrganizationSlug, StringComparer.Ordinal)];
    }

    private IQueryable<AdminCandidate> Candidates(IQueryable<User> users, bool byProviderId) =>
        users.IgnoreAutoIncludes()
            .Where(u => u.DeletedAt == null)
            .Join(db.Organizations, u => u.OrganizationId, o => o.Id, (u, o) => new AdminCandidate(
                u.Id, o.Id, o.Slug, o.Name, u.OrganizationRole, u.Status != UserStatus.Deactivated, byProviderId));
}

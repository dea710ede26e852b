using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ScimBridge.Model.Mapping;
using ScimBridge.Model.Persistence;
using ScimBridge.Model.Provisioning;
using ScimBridge.Model.Reconcile;
using ScimBridge.Scim.Mapping;

namespace ScimBridge.Scim.Admin.Mapping;

/// <summary>One user's changes in a plan, as the preview prints them; <see cref="LosesAccess"/> for those the guard counts.</summary>
public sealed record UserChanges(Guid UserId, string UserName, bool LosesAccess, IReadOnlyList<string> Lines);

/// <summary>What the file on disk would change against the directory now, with the guard's counts and verdict.</summary>
public sealed record PlanView(
    MappingFile File, string Summary, IReadOnlyList<string> TeamsToCreate, IReadOnlyList<UserChanges> Users, int UsersChanging,
    MappingImpact Impact, GuardVerdict Verdict)
{
    public IEnumerable<UserChanges> Losing => Users.Where(u => u.LosesAccess);
}

/// <summary>A file of the folder that maps the organization and was rejected, with its <c>file:line:column</c> errors.</summary>
public sealed record RejectedFile(string FileName, IReadOnlyList<MappingError> Errors);

/// <summary>Everything the mapping page shows for one organization.</summary>
public sealed record MappingState(
    string Folder, MappingFile? InForce, DateTimeOffset? InForceSince, AppliedMapping? Applied, MappingFile? OnDisk, MappingHold? Held,
    IReadOnlyList<RejectedFile> Rejected, IReadOnlyList<string> Warnings, PlanView? Preview)
{
    /// <summary>The file on disk is valid and not the version in force: it waits for the watcher, or is held.</summary>
    public bool OnDiskDiffers => OnDisk is not null && OnDisk.Version != InForce?.Version;
}

/// <summary>
/// Reads the mapping state of one organization from the store (which the watcher keeps current) and, when asked or
/// when the file on disk is not in force, what that file would change (the same assessment <c>mappings preview</c> and
/// the guard make). Only this organization's files are looked at: another organization's errors are never shown.
/// </summary>
public sealed partial class MappingOverview(
    ScimBridgeDbContext db, MappingStore store, MembershipProvisioning memberships, IOptions<MappingOptions> options, MappingPreviews previews)
{
    /// <summary>At most this many users' changes are listed; the counts cover all (the CLI preview prints everyone).</summary>
    public const int UsersShown = 500;

    public async Task<MappingState> ReadAsync(Guid organizationId, string slug, bool preview, CancellationToken ct)
    {
        var inForce = store.For(slug);
        var status = store.StatusFor(slug);
        var onDisk = store.CandidateFor(slug);
        var applied = await db.AppliedMappings.AsNoTracking().FirstOrDefaultAsync(a => a.OrganizationId == organizationId, ct);
        var rejected = store.Statuses
            .Where(s => s.Errors.Count > 0 && (s.Organization == slug || (s.Organization is null && NamesOrganization(s.FileName, slug))))
            .Select(s => new RejectedFile(s.FileName, s.Errors))
            .ToList();
        PlanView? plan = null;
        if (onDisk is not null && (preview || onDisk.Version != inForce?.Version))
        {
            // Read before the assessment: a change committed meanwhile moves the head, so the next view assesses again.
            var head = await AuditHeadAsync(organizationId, ct);
            plan = previews.Find(organizationId, onDisk.Version, head);
            if (plan is null)
            {
                plan = await PreviewAsync(organizationId, onDisk, ct);
                previews.Keep(organizationId, onDisk.Version, head, plan);
            }
        }

        return new MappingState(store.Folder, inForce, status?.LoadedAt, applied, onDisk, status?.Held, rejected, status?.Warnings ?? [], plan);
    }

    private async Task<PlanView> PreviewAsync(Guid organizationId, MappingFile file, CancellationToken ct)
    {
        var (plan, impact) = await memberships.AssessAsync(organizationId, file, ct);
        // Who loses access first (what the guard counts), then everyone else, by userName.
        var names = await MappingPreviewPrinter.UserNamesAsync(db, plan.Users.Select(u => u.UserId), ct);
        var teams = await MappingPreviewPrinter.TeamNamesAsync(db, plan, ct);
        var users = plan.Users
            .Select(u => (User: u, Losing: MappingImpact.LosesAccess(u) || u.Activation == ActivationChange.Deactivate, Name: names.GetValueOrDefault(u.UserId, u.UserId.ToString())))
            .OrderByDescending(u => u.Losing).ThenBy(u => u.Name, StringComparer.OrdinalIgnoreCase)
            .Take(UsersShown)
            .Select(u => new UserChanges(u.User.UserId, u.Name, u.Losing, [.. MappingPreviewPrinter.LinesFor(u.User, teams).Select(l => l.Trim())]))
            .ToList();
        return new PlanView(file, plan.Summary(), plan.TeamsToCreate, users, plan.Users.Count, impact, MappingGuard.Check(file, impact, options.Value));
    }

    /// <summary>
    /// The organization's newest audit entry: every change to its users, groups, teams and memberships is audited in the
    /// transaction that makes it, so the same head means the same directory and the same assessment.
    /// </summary>
    private Task<long?> AuditHeadAsync(Guid organizationId, CancellationToken ct) =>
        db.AuditEntries.Where(a => a.OrganizationId == organizationId).MaxAsync(a => (long?)a.Id, ct);

    /// <summary>Whether a rejected file (no valid version, so no parsed organization) says <c>organization: SLUG</c>.</summary>
    private bool NamesOrganization(string fileName, string slug)
    {
        try
        {
            var text = File.ReadAllText(Path.Combine(store.Folder, fileName));
            return OrganizationLine().Match(text) is { Success: true } match
                && string.Equals(match.Groups[1].Value, slug, StringComparison.OrdinalIgnoreCase);
        }
        catch (IOException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"^organization:\s*[""']?([A-Za-z0-9-]+)", RegexOptions.Multiline)]
    private static partial Regex OrganizationLine();
}

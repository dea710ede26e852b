using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ScimBridge.Model.Audit;
using ScimBridge.Model.Commands;
using ScimBridge.Model.Mapping;
using ScimBridge.Model.Persistence;
using ScimBridge.Model.Provisioning;
using ScimBridge.Model.Reconcile;
using ScimBridge.Scim.Organizations;

namespace ScimBridge.Scim.Mapping;

/// <summary>
/// <c>mappings apply --org ORG [--force]</c>: applies the organization's file from the mappings folder now. Without
/// <c>--force</c> only when it stays within the guard's limits; with it, also a version the guard holds. The running
/// service finds the version recorded as applied on its next poll and puts it in force without guarding it again.
/// </summary>
public sealed class MappingsApplyCommand(
    ScimBridgeDbContext db, MappingStore store, MembershipProvisioning memberships, AuditLog audit, IOptions<MappingOptions> options,
    ICommandProgress progress) : IAdminCommand
{
    private static readonly AuditActor Actor = AuditActor.CommandLine("mappings apply");

    public IReadOnlyList<string> Verb { get; } = ["mappings", "apply"];

    public string Usage => "mappings apply --org SLUG [--force]   apply the organization's mapping file now; --force releases a version the guard holds";

    public async Task<int> RunAsync(CommandArguments arguments, TextWriter output, CancellationToken ct)
    {
        var organization = await OrganizationLookup.RequiredAsync(db, arguments.Required("org"), ct);
        var force = arguments.Flag("force");
        store.Reload();
        var file = store.CandidateFor(organization.Slug);
        // Without a valid version the organization a broken file meant is unknown: show every file's errors.
        var errors = file is null
            ? store.Statuses.SelectMany(s => s.Errors).ToList()
            : store.StatusFor(organization.Slug)?.Errors ?? [];
        if (file is null || errors.Count > 0)
        {
            foreach (var error in errors)
            {
                await output.WriteLineAsync(error.ToString());
            }

            await output.WriteLineAsync(file is null
                ? $"No valid mapping file for organization '{organization.Slug}' in {store.Folder}; nothing was applied."
                : $"The mapping file of organization '{organization.Slug}' has errors; fix them first. Nothing was applied.");
            return 1;
        }

        var applied = await db.AppliedMappings.AsNoTracking().FirstOrDefaultAsync(a => a.OrganizationId == organization.Id, ct);
        if (applied?.Version == file.Version)
        {
            await output.WriteLineAsync($"{file.Describe()} is already applied to organization {organization.Slug} (since {applied.AppliedAt:u}); nothing to do.");
            return 0;
        }

        MappingImpact? seen = null;
        var verdict = GuardVerdict.Allow;
        MembershipPlan? plan;
        using (progress.Start($"Applying {file.Describe()} to {organization.Slug}"))
        {
            plan = await memberships.ApplyAsync(organization.Id, file, Actor, impact =>
            {
                seen = impact;
                verdict = MappingGuard.Check(file, impact, options.Value);
                return verdict.Allowed || force;
            }, ct);
        }

        // The store is not touched: the running service (another process) finds the applied version on its next poll.
        if (plan is null)
        {
            await output.WriteLineAsync($"Not applied: {verdict.Reason}.");
            return 1;
        }

        if (!verdict.Allowed && seen is { } impact)
        {
            audit.Record(organization.Id, Actor, "mapping.released", "mapping", file.FileName,
                after: new { version = file.Version, impact },
                cause: $"applied with --force past the guard: {verdict.Reason}");
            await db.SaveChangesAsync(ct);
        }

        var teams = plan.TeamsToCreate.Count > 0 ? $"; teams created: {string.Join(", ", plan.TeamsToCreate)}" : "";
        await output.WriteLineAsync(
            $"Applied {file.Describe()} to organization {organization.Slug}{(verdict.Allowed ? "" : " past the guard (--force)")}: {plan.Summary()}{teams}.");
        return 0;
    }
}

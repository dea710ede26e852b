using ScimBridge.Model.Audit;
using ScimBridge.Model.Commands;
using ScimBridge.Model.Mapping;
using ScimBridge.Model.Persistence;
using ScimBridge.Scim.Organizations;

namespace ScimBridge.Scim.Mapping;

/// <summary>
/// <c>mappings apply --org ORG [--force]</c>: applies the organization's file from the mappings folder now. Without
/// <c>--force</c> only when it stays within the guard's limits; with it, also a version the guard holds. The running
/// service finds the version recorded as applied on its next poll and puts it in force without guarding it again.
/// The console's Release does the same through <see cref="MappingApplication"/>.
/// </summary>
public sealed class MappingsApplyCommand(ScimBridgeDbContext db, MappingApplication application, MappingStore store, ICommandProgress progress) : IAdminCommand
{
    private static readonly AuditActor Actor = AuditActor.CommandLine("mappings apply");

    public IReadOnlyList<string> Verb { get; } = ["mappings", "apply"];

    public string Usage => "mappings apply --org SLUG [--force]   apply the organization's mapping file now; --force releases a version the guard holds";

    public async Task<int> RunAsync(CommandArguments arguments, TextWriter output, CancellationToken ct)
    {
        var organization = await OrganizationLookup.RequiredAsync(db, arguments.Required("org"), ct);
        var force = arguments.Flag("force");
        MappingApplyResult result;
        using (progress.Start($"Applying the mapping file of {organization.Slug}"))
        {
            result = await application.ApplyAsync(organization.Id, organization.Slug, force, Actor, "applied with --force past the guard", ct);
        }

        var file = result.File;
        switch (result.Status)
        {
            case MappingApplyStatus.NoValidFile or MappingApplyStatus.FileHasErrors:
                foreach (var error in result.Errors)
                {
                    await output.WriteLineAsync(error.ToString());
                }

                await output.WriteLineAsync(file is null
                    ? $"No valid mapping file for organization '{organization.Slug}' in {store.Folder}; nothing was applied."
                    : $"The mapping file of organization '{organization.Slug}' has errors; fix them first. Nothing was applied.");
                return 1;
            case MappingApplyStatus.AlreadyApplied:
                await output.WriteLineAsync($"{file!.Describe()} is already applied to organization {organization.Slug} (since {result.AppliedAt:u}); nothing to do.");
                return 0;
            case MappingApplyStatus.Refused:
                await output.WriteLineAsync($"Not applied: {result.Verdict.Reason}.");
                return 1;
        }

        var plan = result.Plan!;
        var teams = plan.TeamsToCreate.Count > 0 ? $"; teams created: {string.Join(", ", plan.TeamsToCreate)}" : "";
        await output.WriteLineAsync(
            $"Applied {file!.Describe()} to organization {organization.Slug}{(result.Released ? " past the guard (--force)" : "")}: {plan.Summary()}{teams}.");
        return 0;
    }
}

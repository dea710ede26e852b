using Microsoft.EntityFrameworkCore;
using ScimBridge.Model.Commands;
using ScimBridge.Model.Mapping;
using ScimBridge.Model.Organizations;
using ScimBridge.Model.Persistence;
using ScimBridge.Model.Provisioning;

namespace ScimBridge.Scim.Mapping;

/// <summary>
/// <c>mappings preview --org ORG [FILE]</c>: what a mapping file (default: the organization's file in the folder) would change
/// against the current database, per user; writes nothing.
/// </summary>
public sealed class MappingsPreviewCommand(ScimBridgeDbContext db, MappingStore store, MembershipProvisioning memberships, ICommandProgress progress) : IAdminCommand
{
    public IReadOnlyList<string> Verb { get; } = ["mappings", "preview"];

    public string Usage => "mappings preview --org SLUG [FILE]   show per user what a mapping file would change; writes nothing";

    public async Task<int> RunAsync(CommandArguments arguments, TextWriter output, CancellationToken ct)
    {
        var slug = arguments.RequiredSlug();
        var organization = await db.Organizations.AsNoTracking().FirstOrDefaultAsync(o => o.Slug == slug, ct);
        if (organization is null)
        {
            await output.WriteLineAsync($"Unknown organization '{slug}'.");
            return 1;
        }

        var file = await ReadFileAsync(arguments, slug, output, ct);
        if (file is null)
        {
            return 1;
        }

        MembershipPlan plan;
        using (progress.Start($"Computing what {file.FileName} would change in {slug}"))
        {
            plan = await memberships.PreviewAsync(organization.Id, file, ct);
        }

        await new MappingPreviewPrinter(db, output).PrintAsync(plan, slug, ct);
        return 0;
    }

    private async Task<MappingFile?> ReadFileAsync(CommandArguments arguments, string slug, TextWriter output, CancellationToken ct)
    {
        if (arguments.Positional.Count == 0)
        {
            store.Reload();
            foreach (var status in store.Statuses.Where(s => s.Errors.Count > 0))
            {
                await output.WriteLineAsync(string.Join(Environment.NewLine, status.Errors));
            }

            var current = store.CandidateFor(slug);
            if (current is null)
            {
                await output.WriteLineAsync($"No valid mapping file for organization '{slug}' in {store.Folder}.");
            }

            return current;
        }

        var path = arguments.Positional[0];
        if (!File.Exists(path))
        {
            await output.WriteLineAsync($"{path}:1:1: file not found");
            return null;
        }

        var result = MappingFileParser.Parse(Path.GetFileName(path), await File.ReadAllTextAsync(path, ct));
        foreach (var error in result.Errors)
        {
            await output.WriteLineAsync((error with { File = path }).ToString());
        }

        if (result.File is { } file && file.Organization != slug)
        {
            await output.WriteLineAsync($"{path}:{file.OrganizationLine}:{file.OrganizationColumn}: the file maps organization '{file.Organization}', not '{slug}'");
            return null;
        }

        return result.File;
    }
}

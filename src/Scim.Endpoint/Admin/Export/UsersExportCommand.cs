using ScimBridge.Model.Audit;
using ScimBridge.Model.Commands;
using ScimBridge.Model.Persistence;
using ScimBridge.Scim.Organizations;

namespace ScimBridge.Scim.Admin.Export;

/// <summary>
/// <c>users export --org SLUG --format xlsx|csv --to FILE [--state STATE] [--q TEXT]</c>: the same export as the
/// console's users page, to a file, with progress on standard error.
/// </summary>
public sealed class UsersExportCommand(ScimBridgeDbContext db, UserExporter exporter, ICommandProgress progress) : IAdminCommand
{
    public IReadOnlyList<string> Verb { get; } = ["users", "export"];

    public string Usage => "users export --org SLUG --format xlsx|csv --to FILE [--state prepared|invited|active|deactivated|all] [--q TEXT]   export users to a spreadsheet";

    public async Task<int> RunAsync(CommandArguments arguments, TextWriter output, CancellationToken ct)
    {
        var organization = await OrganizationLookup.RequiredAsync(db, arguments.Required("org"), ct);
        var format = ExportFormats.Parse(arguments.Required("format"))
            ?? throw new CommandUsageException($"--format must be xlsx or csv, not '{arguments.Option("format")}'.");
        var (query, problem) = ExportFilter.Parse(arguments.Option("q"), arguments.Option("state"), null, null);
        if (query is null)
        {
            throw new CommandUsageException("--state: " + problem);
        }

        var target = Path.GetFullPath(arguments.Required("to"));
        if (Path.GetDirectoryName(target) is { } folder && !System.IO.Directory.Exists(folder))
        {
            throw new CommandFailedException($"The folder {folder} does not exist.");
        }

        var total = await exporter.StartAsync(organization.Id, query, format, AuditActor.CommandLine("users export"), ct);
        int written;
        using (var step = progress.Start($"Exporting users of {organization.Slug}", total, "users"))
        {
            await using var file = new FileStream(target, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024, useAsync: true);
            written = await exporter.WriteAsync(organization.Id, query, format, file, done => step.Report(done), ct);
        }

        await output.WriteLineAsync($"Exported {written:N0} users of '{organization.Slug}' to {target}.");
        return 0;
    }
}

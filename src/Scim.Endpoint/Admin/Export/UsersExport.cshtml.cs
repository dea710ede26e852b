using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ScimBridge.Scim.Admin.SignIn;
using ScimBridge.Scim.Admin.Users;

namespace ScimBridge.Scim.Admin.Export;

/// <summary>
/// <c>/admin/users/export?format=xlsx|csv&amp;q=&amp;state=&amp;managedBy=&amp;team=</c>: the users of the users page's
/// filter as a download, streamed as it is read. Viewers may export: it changes nothing.
/// </summary>
public sealed class UsersExportModel(UserExporter exporter, AdminSession session, TimeProvider clock, ILogger<UsersExportModel> logger) : PageModel
{
    public string? Problem { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? format, string? q, string? state, string? managedBy, Guid? team, CancellationToken ct)
    {
        var parsedFormat = ExportFormats.Parse(format);
        var (query, problem) = ExportFilter.Parse(q, state, managedBy, team);
        if (parsedFormat is null || query is null)
        {
            Problem = problem ?? $"'{format}' is not an export format; choose xlsx or csv.";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var total = await exporter.StartAsync(session.OrganizationId, query, parsedFormat.Value, session.Actor, ct);
        var name = $"users-{session.OrganizationSlug}-{clock.GetUtcNow().UtcDateTime.ToString("yyyyMMdd-HHmm", CultureInfo.InvariantCulture)}.{ExportFormats.Extension(parsedFormat.Value)}";
        return new StreamedExport(exporter, session.OrganizationId, query, parsedFormat.Value, name, total, logger);
    }

    /// <summary>Writes the file into the response as it is read; once the first bytes are out, a failure can only cut it short.</summary>
    private sealed class StreamedExport(
        UserExporter exporter, Guid organizationId, UserQuery query, ExportFormat format, string fileName, int total, ILogger logger) : IActionResult
    {
        public async Task ExecuteResultAsync(ActionContext context)
        {
            var response = context.HttpContext.Response;
            response.ContentType = ExportFormats.ContentType(format);
            response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}\"";
            response.Headers.CacheControl = "no-store";
            var ct = context.HttpContext.RequestAborted;
            var written = await exporter.WriteAsync(organizationId, query, format, response.Body, null, ct);
            logger.LogInformation("Exported {Users} of {Total} users as {Format}", written, total, format);
        }
    }
}

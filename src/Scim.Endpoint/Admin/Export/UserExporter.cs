using ScimBridge.Model.Audit;
using ScimBridge.Model.Persistence;
using ScimBridge.Scim.Admin.Users;

namespace ScimBridge.Scim.Admin.Export;

/// <summary>
/// Writes the users of a users-page filter to a spreadsheet stream, a page of users at a time, one header row then one
/// row per user. The export itself is audited (<c>users.exported</c>, with the filter and the number of users): it hands
/// personal data out of the directory.
/// </summary>
public sealed class UserExporter(UserExportReader reader, AuditLog audit, ScimBridgeDbContext db)
{
    /// <summary>Counts and audits the export; the caller then streams it with <see cref="WriteAsync"/>.</summary>
    public async Task<int> StartAsync(Guid organizationId, UserQuery query, ExportFormat format, AuditActor actor, CancellationToken ct)
    {
        var total = await reader.CountAsync(organizationId, query, ct);
        audit.Record(organizationId, actor, "users.exported", "organization", organizationId.ToString(),
            after: new { format = ExportFormats.Extension(format), query = query.Text, state = query.State, managedBy = query.ManagedBy, team = query.TeamId, users = total });
        await db.SaveChangesAsync(ct);
        return total;
    }

    /// <summary>Writes the file; <paramref name="progress"/> hears the number of users written after each page.</summary>
    public async Task<int> WriteAsync(Guid organizationId, UserQuery query, ExportFormat format, Stream output, Action<int>? progress, CancellationToken ct)
    {
        await using var writer = await SpreadsheetWriters.OpenAsync(format, output, ct);
        await writer.WriteRowAsync(UserExportRow.Columns, ct);
        var written = 0;
        await using var pages = reader.PagesAsync(organizationId, query, ct).GetAsyncEnumerator(ct);
        // The next page is read on another thread while this one is written, so the database and the writer each keep
        // a core busy; only the reader touches the DbContext, one page after the other.
        var next = ReadNextAsync(pages);
        try
        {
            while (await next)
            {
                var page = pages.Current;
                next = ReadNextAsync(pages);
                foreach (var row in page)
                {
                    await writer.WriteRowAsync(row.Cells(), ct);
                }

                written += page.Count;
                progress?.Invoke(written);
            }
        }
        finally
        {
            // A write that failed leaves a read in flight; it must end before the reader is disposed.
            await next.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        await writer.CompleteAsync(ct);
        return written;
    }

    private static Task<bool> ReadNextAsync(IAsyncEnumerator<IReadOnlyList<UserExportRow>> pages) =>
        Task.Run(async () => await pages.MoveNextAsync());
}

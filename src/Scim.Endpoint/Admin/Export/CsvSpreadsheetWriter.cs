using System.Globalization;
using CsvHelper;

namespace ScimBridge.Scim.Admin.Export;

/// <summary>
/// CSV through CsvHelper (RFC 4180 quoting, CRLF), UTF-8 with a byte order mark so that spreadsheet programs read names
/// with accents right. A cell starting with <c>=</c>, <c>+</c>, <c>-</c> or <c>@</c> is escaped, so no cell runs as a formula.
/// </summary>
public sealed class CsvSpreadsheetWriter(Stream output) : ISpreadsheetWriter
{
    private readonly CsvWriter _csv = CsvWriter.Create(output, new CsvWriterOptions
    {
        NewLine = "\r\n",
        Injection = CsvInjection.Escape,
        WriteByteOrderMark = true,
        FormatProvider = CultureInfo.InvariantCulture,
    }, true);

    public async ValueTask WriteRowAsync(IReadOnlyList<string?> cells, CancellationToken ct)
    {
        foreach (var cell in cells)
        {
            _csv.WriteField(cell ?? "");
        }

        // Records are ended asynchronously: a response body refuses synchronous writes.
        await _csv.EndRecordAsync(ct);
    }

    public ValueTask CompleteAsync(CancellationToken ct) => _csv.FlushAsync(ct);

    public ValueTask DisposeAsync() => _csv.DisposeAsync();
}

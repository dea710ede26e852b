using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;

namespace ScimBridge.Scim.Admin.Export;

/// <summary>
/// CSV through CsvHelper (RFC 4180 quoting), UTF-8 with a byte order mark so that spreadsheet programs read names with
/// accents right. A cell starting with <c>=</c>, <c>+</c>, <c>-</c> or <c>@</c> is escaped, so no cell runs as a formula.
/// </summary>
public sealed class CsvSpreadsheetWriter : ISpreadsheetWriter
{
    private readonly StreamWriter _text;
    private readonly CsvWriter _csv;

    public CsvSpreadsheetWriter(Stream output)
    {
        _text = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), bufferSize: 64 * 1024, leaveOpen: true);
        _csv = new CsvWriter(_text, new CsvConfiguration(CultureInfo.InvariantCulture) { InjectionOptions = InjectionOptions.Escape });
    }

    public async ValueTask WriteRowAsync(IReadOnlyList<string?> cells, CancellationToken ct)
    {
        foreach (var cell in cells)
        {
            _csv.WriteField(cell ?? "");
        }

        await _csv.NextRecordAsync();
    }

    public async ValueTask CompleteAsync(CancellationToken ct)
    {
        await _csv.FlushAsync();
        await _text.FlushAsync(ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _csv.DisposeAsync();
        await _text.DisposeAsync();
    }
}

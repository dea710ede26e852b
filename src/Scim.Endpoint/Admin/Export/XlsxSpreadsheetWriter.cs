using SpreadCheetah;
using SpreadCheetah.Worksheets;

namespace ScimBridge.Scim.Admin.Export;

/// <summary>
/// An .xlsx written row by row with SpreadCheetah, which streams each row into the file instead of building the
/// workbook in memory: one worksheet with a frozen header row, so memory stays flat whatever the number of rows.
/// ClosedXML (0.95.4, the version available here) builds the whole workbook first: 100,000 rows of 12 cells took 91 s
/// and 1.75 GiB, against the export's 10 s and 300 MiB. The tests read the files back with ClosedXML.
/// </summary>
public sealed class XlsxSpreadsheetWriter : ISpreadsheetWriter
{
    private readonly Spreadsheet _spreadsheet;
    private readonly AsyncDrainedStream _output;
    private Cell[] _cells = [];

    private XlsxSpreadsheetWriter(Spreadsheet spreadsheet, AsyncDrainedStream output)
    {
        _spreadsheet = spreadsheet;
        _output = output;
    }

    public static async Task<ISpreadsheetWriter> OpenAsync(Stream output, string sheetName, CancellationToken ct)
    {
        // Any bytes the package writes synchronously are drained asynchronously, so the stream may be a response
        // body, which refuses synchronous writes.
        var drained = new AsyncDrainedStream(output);
        var spreadsheet = await Spreadsheet.CreateNewAsync(drained, cancellationToken: ct);
        await spreadsheet.StartWorksheetAsync(sheetName, new WorksheetOptions { FrozenRows = 1 }, ct);
        return new XlsxSpreadsheetWriter(spreadsheet, drained);
    }

    public async ValueTask WriteRowAsync(IReadOnlyList<string?> cells, CancellationToken ct)
    {
        if (_cells.Length != cells.Count)
        {
            _cells = new Cell[cells.Count];
        }

        for (var i = 0; i < cells.Count; i++)
        {
            _cells[i] = new Cell(cells[i]);
        }

        await _spreadsheet.AddRowAsync(_cells, ct);
        await _output.DrainIfFullAsync(ct);
    }

    public async ValueTask CompleteAsync(CancellationToken ct)
    {
        await _spreadsheet.FinishAsync(ct);
        await _output.FlushAsync(ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _spreadsheet.DisposeAsync();
        await _output.DisposeAsync();
    }
}

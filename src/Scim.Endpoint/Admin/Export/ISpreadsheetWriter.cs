namespace ScimBridge.Scim.Admin.Export;

/// <summary>Writes rows of text cells to a stream as they come, and finishes the file.</summary>
public interface ISpreadsheetWriter : IAsyncDisposable
{
    ValueTask WriteRowAsync(IReadOnlyList<string?> cells, CancellationToken ct);

    /// <summary>Writes what closes the file (an .xlsx's package parts); the stream stays open.</summary>
    ValueTask CompleteAsync(CancellationToken ct);
}

public static class SpreadsheetWriters
{
    public static Task<ISpreadsheetWriter> OpenAsync(ExportFormat format, Stream output, CancellationToken ct) => format switch
    {
        ExportFormat.Xlsx => XlsxSpreadsheetWriter.OpenAsync(output, "Users", ct),
        ExportFormat.Csv => Task.FromResult<ISpreadsheetWriter>(new CsvSpreadsheetWriter(output)),
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };
}

namespace ScimBridge.Scim.Admin.Export;

/// <summary>The spreadsheet formats users are exported to.</summary>
public enum ExportFormat
{
    Xlsx,
    Csv,
}

public static class ExportFormats
{
    public static ExportFormat? Parse(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        "xlsx" or "excel" => ExportFormat.Xlsx,
        "csv" => ExportFormat.Csv,
        _ => null,
    };

    public static string ContentType(ExportFormat format) => format switch
    {
        ExportFormat.Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ExportFormat.Csv => "text/csv; charset=utf-8",
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    public static string Extension(ExportFormat format) => format == ExportFormat.Xlsx ? "xlsx" : "csv";
}

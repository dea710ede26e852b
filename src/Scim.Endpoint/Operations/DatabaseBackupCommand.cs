using Microsoft.EntityFrameworkCore;
using ScimBridge.Model.Commands;
using ScimBridge.Model.Persistence;

namespace ScimBridge.Scim.Operations;

/// <summary>
/// <c>database backup --to FILE</c>: an online copy of the SQLite database (<c>VACUUM INTO</c>) while the service
/// keeps serving: one consistent moment, compacted. PostgreSQL databases are backed up with <c>pg_dump</c>.
/// </summary>
public sealed class DatabaseBackupCommand(ScimBridgeDbContext db, ICommandProgress progress) : IAdminCommand
{
    public IReadOnlyList<string> Verb { get; } = ["database", "backup"];

    public string Usage => "database backup --to FILE   online copy of the SQLite database (VACUUM INTO); the file must not exist";

    public async Task<int> RunAsync(CommandArguments arguments, TextWriter output, CancellationToken ct)
    {
        var target = Path.GetFullPath(arguments.Required("to"));
        if (!db.IsSqlite)
        {
            throw new CommandFailedException("database backup copies SQLite databases; back up PostgreSQL with pg_dump.");
        }

        if (File.Exists(target) || System.IO.Directory.Exists(target))
        {
            throw new CommandFailedException($"{target} already exists; name a new file.");
        }

        if (Path.GetDirectoryName(target) is { } folder && !System.IO.Directory.Exists(folder))
        {
            throw new CommandFailedException($"The folder {folder} does not exist.");
        }

        using (progress.Start($"Writing {target}"))
        {
            await db.Database.ExecuteSqlAsync($"VACUUM INTO {target}", ct);
        }

        await output.WriteLineAsync($"Backed up the database to {target} ({new FileInfo(target).Length:N0} bytes).");
        return 0;
    }
}

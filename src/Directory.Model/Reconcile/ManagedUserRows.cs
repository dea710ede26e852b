using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using ScimBridge.Model.Persistence;
using ScimBridge.Model.Users;

namespace ScimBridge.Model.Reconcile;

/// <summary>A source's user as the state loader needs it: a few columns, no profile.</summary>
internal readonly record struct ManagedUserRow(Guid Id, string SourceKey, string UserName, bool Active, string? DeactivatedBy, bool Deleted, string? Fingerprint);

/// <summary>
/// The users side of <see cref="ReconcileStateLoader"/> as two plain statements on EF Core's connection (in its
/// transaction when there is one), on SQLite and PostgreSQL alike. Every run reads all of a source's users (100,000 rows
/// in a large directory); through EF Core each run also paid for compiling the queries and materializing anonymous
/// objects, about twice the cost of reading the rows.
/// </summary>
internal static class ManagedUserRows
{
    /// <summary>The users <paramref name="source"/> manages (those with a source key), deleted ones included.</summary>
    public static async Task<List<ManagedUserRow>> ReadAsync(ScimBridgeDbContext db, Guid organizationId, string source, CancellationToken ct)
    {
        var (users, c) = BulkCommand.Names<User>(db);
        var sql = $"SELECT {c(nameof(User.Id))}, {c(nameof(User.SourceKey))}, {c(nameof(User.UserName))}, {c(nameof(User.Status))}, " +
                  $"{c(nameof(User.DeactivatedBy))}, {c(nameof(User.DeletedAt))} IS NOT NULL, {c(nameof(User.SourceFingerprint))} FROM {users} " +
                  $"WHERE {c(nameof(User.OrganizationId))} = @p0 AND {c(nameof(User.ManagedBy))} = @p1 AND {c(nameof(User.SourceKey))} IS NOT NULL";
        var rows = new List<ManagedUserRow>();
        var deactivated = nameof(UserStatus.Deactivated);
        await ReadAsync(db, sql, organizationId, source, reader => rows.Add(new ManagedUserRow(
            reader.GetGuid(0),
            reader.GetString(1),
            reader.GetString(2),
            !string.Equals(reader.GetString(3), deactivated, StringComparison.Ordinal),
            reader.IsDBNull(4) ? null : reader.GetString(4),
            reader.GetBoolean(5),
            reader.IsDBNull(6) ? null : reader.GetString(6))), ct);
        return rows;
    }

    /// <summary>
    /// Normalized userName → ManagedBy of the organization's users that <paramref name="source"/> does not manage. The
    /// two ranges around the source's name let both databases seek the (organization, managedBy) index instead of
    /// reading every user of the organization.
    /// </summary>
    public static async Task<Dictionary<string, string>> OthersAsync(ScimBridgeDbContext db, Guid organizationId, string source, CancellationToken ct)
    {
        var (users, c) = BulkCommand.Names<User>(db);
        var managedBy = c(nameof(User.ManagedBy));
        var sql = $"SELECT {c(nameof(User.NormalizedUserName))}, {managedBy} FROM {users} " +
                  $"WHERE {c(nameof(User.OrganizationId))} = @p0 AND ({managedBy} < @p1 OR {managedBy} > @p1)";
        var others = new Dictionary<string, string>(StringComparer.Ordinal);
        await ReadAsync(db, sql, organizationId, source, reader => others.TryAdd(reader.GetString(0), reader.GetString(1)), ct);
        return others;
    }

    private static async Task ReadAsync(ScimBridgeDbContext db, string sql, Guid organizationId, string source, Action<DbDataReader> row, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var command = connection.CreateCommand();
            command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            command.CommandText = sql;
            command.Parameters.Add(Parameter(db, command, "@p0", nameof(User.OrganizationId), organizationId));
            command.Parameters.Add(Parameter(db, command, "@p1", nameof(User.ManagedBy), source));
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                row(reader);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>A parameter as EF Core would bind it for that column (GUID text on SQLite, uuid on PostgreSQL).</summary>
    private static DbParameter Parameter(ScimBridgeDbContext db, DbCommand command, string name, string property, object value)
    {
        var mapping = (RelationalTypeMapping)BulkCommand.Column<User>(db, property).GetRelationalTypeMapping();
        return mapping.CreateParameter(command, name, mapping.Converter is { } converter ? converter.ConvertToProvider(value) : value);
    }
}

using System.Data.Common;
using ScimBridge.Model.Groups;
using ScimBridge.Model.Persistence;
using ScimBridge.Model.Users;

namespace ScimBridge.Model.Reconcile;

/// <summary>
/// The users and groups a source manages as <see cref="ReconcileStateLoader"/> reads them: plain statements
/// (<see cref="DbRows"/>), on SQLite and PostgreSQL alike. Every run reads all of a source's users (100,000 rows in a
/// large directory); through EF Core each run also paid for compiling the queries and materializing anonymous objects,
/// about twice the cost of reading the rows.
/// </summary>
internal static class ManagedRows
{
    private const int Active = 1;
    private const int Deleted = 2;

    /// <summary>
    /// The users <paramref name="source"/> manages (those with a source key), deleted ones included, in the order read.
    /// The stored fingerprint is read only for the users whose keys <paramref name="fingerprintOf"/> accepts (the ones
    /// the planner compares, when the read is known), for every user when it is null.
    /// </summary>
    public static async Task<List<ManagedUser>> ReadAsync(
        ScimBridgeDbContext db, Guid organizationId, string source, Func<string, bool>? fingerprintOf, CancellationToken ct)
    {
        var (users, c) = BulkCommand.Names<User>(db);
        // Activation and deletion come as the bits of one number: each column read is a call into SQLite.
        var sql = $"SELECT {c(nameof(User.Id))}, {c(nameof(User.SourceKey))}, {c(nameof(User.UserName))}, " +
                  $"CASE WHEN {c(nameof(User.Status))} = '{nameof(UserStatus.Deactivated)}' THEN 0 ELSE {Active} END + " +
                  $"CASE WHEN {c(nameof(User.DeletedAt))} IS NULL THEN 0 ELSE {Deleted} END, " +
                  $"{c(nameof(User.DeactivatedBy))}, {c(nameof(User.SourceFingerprint))} FROM {users} " +
                  $"WHERE {c(nameof(User.OrganizationId))} = @p0 AND {c(nameof(User.ManagedBy))} = @p1 AND {c(nameof(User.SourceKey))} IS NOT NULL";
        var rows = new List<ManagedUser>();
        await ReadAsync(db, sql, organizationId, source, reader =>
        {
            var key = reader.GetString(1);
            var state = reader.GetInt32(3);
            rows.Add(new ManagedUser(reader.GetGuid(0), key, reader.GetString(2), (state & Active) != 0,
                reader.IsDBNull(4) ? null : reader.GetString(4), (state & Deleted) != 0)
            {
                Fingerprint = (fingerprintOf is null || fingerprintOf(key)) && !reader.IsDBNull(5) ? reader.GetString(5) : null,
            });
        }, ct);
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

    /// <summary>The groups <paramref name="source"/> manages (those with an external id), deleted ones included.</summary>
    public static async Task<List<ManagedGroup>> GroupsAsync(ScimBridgeDbContext db, Guid organizationId, string source, CancellationToken ct)
    {
        var (groups, c) = BulkCommand.Names<DirectoryGroup>(db);
        var sql = $"SELECT {c(nameof(DirectoryGroup.Id))}, {c(nameof(DirectoryGroup.ExternalId))}, {c(nameof(DirectoryGroup.DisplayName))}, " +
                  $"{c(nameof(DirectoryGroup.DistinguishedName))}, {c(nameof(DirectoryGroup.DeletedAt))} IS NOT NULL FROM {groups} " +
                  $"WHERE {c(nameof(DirectoryGroup.OrganizationId))} = @p0 AND {c(nameof(DirectoryGroup.ManagedBy))} = @p1 AND {c(nameof(DirectoryGroup.ExternalId))} IS NOT NULL";
        var rows = new List<ManagedGroup>();
        await DbRows.ReadAsync(db, sql,
            [new(BulkCommand.Column<DirectoryGroup>(db, nameof(DirectoryGroup.OrganizationId)), organizationId),
             new(BulkCommand.Column<DirectoryGroup>(db, nameof(DirectoryGroup.ManagedBy)), source)],
            reader => rows.Add(new ManagedGroup(
                reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetBoolean(4))),
            ct);
        return rows;
    }

    private static Task ReadAsync(ScimBridgeDbContext db, string sql, Guid organizationId, string source, Action<DbDataReader> row, CancellationToken ct) =>
        DbRows.ReadAsync(db, sql,
            [new(BulkCommand.Column<User>(db, nameof(User.OrganizationId)), organizationId), new(BulkCommand.Column<User>(db, nameof(User.ManagedBy)), source)],
            row, ct);
}

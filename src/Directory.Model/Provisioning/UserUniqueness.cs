using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;
using ScimBridge.Model.Persistence;
using ScimBridge.Model.Users;

namespace ScimBridge.Model.Provisioning;

/// <summary>
/// The one place that answers whether a userName or extension is free in an organization, and that explains the
/// database's unique violation when a concurrent writer took the value first. PostgreSQL names the violated index;
/// SQLite only reports that a unique index was violated, so the values are looked up again after the rollback.
/// </summary>
public static class UserUniqueness
{
    // Runs before every create and rename; precompiled so it costs one indexed lookup, not a LINQ translation.
    private static readonly CompiledPerModel<Func<ScimBridgeDbContext, Guid, string, Guid?, CancellationToken, Task<bool>>> UserNameTaken =
        new(() => EF.CompileAsyncQuery((ScimBridgeDbContext db, Guid organizationId, string normalized, Guid? exceptUserId, CancellationToken ct) => db.Users.IgnoreAutoIncludes()
            .Any(u => u.OrganizationId == organizationId && u.NormalizedUserName == normalized && u.Id != exceptUserId)));

    private static readonly CompiledPerModel<Func<ScimBridgeDbContext, Guid, string, Guid?, CancellationToken, Task<bool>>> ExtensionTaken =
        new(() => EF.CompileAsyncQuery((ScimBridgeDbContext db, Guid organizationId, string extension, Guid? exceptUserId, CancellationToken ct) => db.Users.IgnoreAutoIncludes()
            .Any(u => u.OrganizationId == organizationId && u.PhoneExtension == extension && u.Id != exceptUserId)));

    private const string PostgresUniqueViolation = "23505";
    private const int SqliteConstraintUnique = 2067;

    /// <summary>Throws <see cref="UniquenessConflictException"/> when another user of the organization holds the userName or extension (null: not checked).</summary>
    public static async Task EnsureFreeAsync(
        ScimBridgeDbContext db, Guid organizationId, string? userName, string? extension, Guid? exceptUserId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (await ConflictAsync(db, organizationId, userName, extension, exceptUserId, ct) is { } conflict)
        {
            throw conflict;
        }
    }

    /// <summary>The conflict a taken userName or extension gives, or null when both are free.</summary>
    public static async Task<UniquenessConflictException?> ConflictAsync(
        ScimBridgeDbContext db, Guid organizationId, string? userName, string? extension, Guid? exceptUserId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (userName is not null && await UserNameTaken.For(db)(db, organizationId, User.Normalize(userName), exceptUserId, ct))
        {
            return UniquenessConflictException.UserName(userName);
        }

        return extension is not null && await ExtensionTaken.For(db)(db, organizationId, extension, exceptUserId, ct)
            ? UniquenessConflictException.Extension(extension)
            : null;
    }

    /// <summary>
    /// SQL for writers on a native SQLite connection: <c>?1</c> the organization, <c>?2</c> the normalized userName
    /// (first statement) or the extension (second); a row means taken.
    /// </summary>
    public static (string UserNameTaken, string ExtensionTaken) Sql(ScimBridgeDbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        var (users, u) = BulkCommand.Names<User>(db);
        return ($"SELECT 1 FROM {users} WHERE {u(nameof(User.OrganizationId))} = ?1 AND {u(nameof(User.NormalizedUserName))} = ?2",
            $"SELECT 1 FROM {users} WHERE {u(nameof(User.OrganizationId))} = ?1 AND {u(nameof(User.PhoneExtension))} = ?2");
    }

    /// <summary>Whether the save failed on a unique index of the users table (userName or extension).</summary>
    public static bool IsViolation(ScimBridgeDbContext db, DbUpdateException e)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(e);
        return e.InnerException switch
        {
            PostgresException { SqlState: PostgresUniqueViolation } pg => IndexNamed(db, pg.ConstraintName) is not null,
            SqliteException { SqliteExtendedErrorCode: SqliteConstraintUnique } => e.Entries.Any(entry => entry.Entity is User),
            _ => false,
        };
    }

    /// <summary>
    /// The conflict behind a unique violation of a user's row (see <see cref="IsViolation"/>), for the user being saved.
    /// Call after the failed transaction was rolled back.
    /// </summary>
    public static async Task<UniquenessConflictException> ExplainAsync(ScimBridgeDbContext db, DbUpdateException e, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(e);
        var user = e.Entries.Select(entry => entry.Entity).OfType<User>().FirstOrDefault();
        if (e.InnerException is PostgresException pg && IndexNamed(db, pg.ConstraintName) is { } index)
        {
            var onExtension = index.Properties.Any(p => p.Name == nameof(User.PhoneExtension));
            return onExtension
                ? user?.PhoneExtension is { } extension ? UniquenessConflictException.Extension(extension) : new("The extension is already taken in this organization.")
                : user is not null ? UniquenessConflictException.UserName(user.UserName) : new("The userName is already taken in this organization.");
        }

        return user is not null && await ConflictAsync(db, user.OrganizationId, user.UserName, user.PhoneExtension, user.Id, ct) is { } conflict
            ? conflict
            : new UniquenessConflictException("A unique value (userName or extension) is already taken in this organization.");
    }

    private static IIndex? IndexNamed(ScimBridgeDbContext db, string? name)
    {
        return name is null || db.Model.FindEntityType(typeof(User)) is not { } users
            ? null
            : users.GetIndexes().FirstOrDefault(i => i.IsUnique && i.GetDatabaseName() == name);
    }
}

using ScimBridge.Model.Audit;
using ScimBridge.Model.Users;

namespace ScimBridge.Model.Persistence;

/// <summary>
/// Writes new users with their audit entries faster than EF Core's save of one user at a time: creates that arrive
/// together are committed together. Registered at setup where the database has one (<see cref="Sqlite.SqliteNewUsers"/>).
/// </summary>
public interface INewUserWriter
{
    /// <summary>
    /// Inserts <paramref name="user"/> and <paramref name="entry"/>, committed once the transaction they join commits.
    /// False, with nothing written, when this writer cannot serve <paramref name="db"/>; the caller then saves through EF Core.
    /// A taken userName or extension throws <see cref="Provisioning.UniquenessConflictException"/>.
    /// </summary>
    Task<bool> TryInsertAsync(ScimBridgeDbContext db, User user, AuditEntry entry, CancellationToken ct);
}

using ScimBridge.Model.Users;

namespace ScimBridge.Model.Persistence;

/// <summary>
/// The lookups of one user that an identity provider repeats thousands of times a minute: by id, by userName, and the
/// user's teams and groups. Untracked, visible (not deleted) users only, with e-mails and phone numbers loaded.
/// Chosen once at setup: <see cref="Postgres.PostgresUserReader"/> on PostgreSQL (one round trip), <see cref="Sqlite.SqliteUserReader"/> on SQLite,
/// which serves the same rows from read-only connections inside a unit of work declared <see cref="DatabaseWork.Reads"/>.
/// </summary>
public interface IUserReader
{
    Task<User?> FindByIdAsync(Guid organizationId, Guid userId, CancellationToken ct);

    Task<User?> FindByNormalizedUserNameAsync(Guid organizationId, string normalizedUserName, CancellationToken ct);

    /// <summary>The user's live team memberships (teams not deleted) and direct groups (not deleted), as asked for.</summary>
    Task<IReadOnlyList<UserRelationRow>> RelationsAsync(Guid organizationId, Guid userId, bool teams, bool groups, CancellationToken ct);

    /// <summary>
    /// A list page: the visible users with these ids in the order given (an id no longer visible is left out), each
    /// with its live team memberships and direct groups, as asked for.
    /// </summary>
    Task<IReadOnlyList<UserWithRelations>> PageAsync(Guid organizationId, IReadOnlyList<Guid> ids, bool teams, bool groups, CancellationToken ct);
}

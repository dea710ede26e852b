namespace ScimBridge.Model.Persistence;

/// <summary>
/// Runs one unit of work with the connections its kind calls for. The caller only says what the work does
/// (<see cref="DatabaseWork"/>); which connections and settings that means is the database's business, decided once at
/// setup: <see cref="EfDatabaseWorkScope"/> on PostgreSQL, <see cref="Sqlite.SqliteDatabaseWorkScope"/> on SQLite.
/// </summary>
public interface IDatabaseWorkScope
{
    Task<T> RunAsync<T>(DatabaseWork work, Func<Task<T>> body, CancellationToken ct);
}

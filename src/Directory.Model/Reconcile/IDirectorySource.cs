namespace ScimBridge.Model.Reconcile;

/// <summary>A directory the sync worker reads from (LDAP, Entra ID). Implementations throw when the read is not trustworthy.</summary>
public interface IDirectorySource
{
    /// <summary>The configured source name; also the <c>ManagedBy</c> of the users it creates.</summary>
    string Name { get; }

    /// <summary>
    /// Reads users and groups. With <paramref name="deltaState"/> null (or when the source cannot continue from it)
    /// the read is full. Throws <see cref="DirectoryReadException"/> when the read failed or may be incomplete.
    /// </summary>
    Task<DirectorySnapshot> ReadAsync(string? deltaState, CancellationToken ct);

    /// <summary>
    /// As <see cref="ReadAsync(string?, CancellationToken)"/>, telling <paramref name="progress"/> what the read has
    /// established before it ends, so that the run can prepare meanwhile. A source that cannot tell early just reads.
    /// </summary>
    Task<DirectorySnapshot> ReadAsync(string? deltaState, DirectoryReadProgress progress, CancellationToken ct) => ReadAsync(deltaState, ct);

    /// <summary>
    /// Signs in (binds) and counts the users in scope without reading them and without writing anything: the console's
    /// "Test connection". Throws <see cref="DirectoryReadException"/> saying what failed.
    /// </summary>
    Task<ConnectionCheck> CheckConnectionAsync(CancellationToken ct) =>
        throw new NotSupportedException($"Source '{Name}' cannot test its connection.");
}

/// <summary>What a read can tell before it ends (see <see cref="IDirectorySource.ReadAsync(string?, DirectoryReadProgress, CancellationToken)"/>).</summary>
public sealed class DirectoryReadProgress
{
    public static DirectoryReadProgress None { get; } = new();

    /// <summary>
    /// Called at most once, from any thread, with the keys of the groups whose complete member lists the snapshot will
    /// carry, as soon as the read has them (an incremental read's changed groups).
    /// </summary>
    public Action<IReadOnlyCollection<string>>? GroupsRead { get; init; }
}

/// <summary>The source could not be read completely; nothing may be deactivated on the strength of this read.</summary>
public sealed class DirectoryReadException(string message, Exception? inner = null) : Exception(message, inner);

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
    /// Signs in (binds) and counts the users in scope without reading them and without writing anything: the console's
    /// "Test connection". Throws <see cref="DirectoryReadException"/> saying what failed.
    /// </summary>
    Task<ConnectionCheck> CheckConnectionAsync(CancellationToken ct) =>
        throw new NotSupportedException($"Source '{Name}' cannot test its connection.");
}

/// <summary>The source could not be read completely; nothing may be deactivated on the strength of this read.</summary>
public sealed class DirectoryReadException(string message, Exception? inner = null) : Exception(message, inner);

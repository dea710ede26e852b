using Npgsql;
using ScimBridge.Model.Audit;
using ScimBridge.Model.Provisioning;
using ScimBridge.Model.Users;

namespace ScimBridge.Model.Persistence.Postgres;

/// <summary>
/// One transaction of <see cref="PostgresNewUsers"/>: which userNames and extensions are taken (in the database, or by
/// a user earlier in the batch) and each organization's audit-chain head as the batch extends it.
/// </summary>
internal sealed class PostgresNewUserBatch(NpgsqlTransaction transaction) : IAsyncDisposable
{
    private readonly HashSet<(Guid, string)> _userNames = [];
    private readonly HashSet<(Guid, string)> _extensions = [];
    private readonly Dictionary<Guid, string> _heads = [];

    public void TakeUserName(Guid organizationId, string normalizedUserName) => _userNames.Add((organizationId, normalizedUserName));

    public void TakeExtension(Guid organizationId, string extension) => _extensions.Add((organizationId, extension));

    public void SetHead(Guid organizationId, string hash) => _heads[organizationId] = hash;

    /// <summary>The error a taken userName or extension gives this user; otherwise both are claimed for it.</summary>
    public UniquenessConflictException? Conflict(User user)
    {
        if (_userNames.Contains((user.OrganizationId, user.NormalizedUserName)))
        {
            return UniquenessConflictException.UserName(user.UserName);
        }

        if (user.PhoneExtension is { } extension && !_extensions.Add((user.OrganizationId, extension)))
        {
            return UniquenessConflictException.Extension(extension);
        }

        _userNames.Add((user.OrganizationId, user.NormalizedUserName));
        return null;
    }

    /// <summary>Chains the entry after its organization's head, which it becomes.</summary>
    public void Chain(AuditEntry entry)
    {
        var previous = _heads.GetValueOrDefault(entry.OrganizationId, "");
        entry.PreviousHash = previous;
        entry.Hash = entry.ComputeHash(previous);
        _heads[entry.OrganizationId] = entry.Hash;
    }

    public Task CommitAsync(CancellationToken ct) => transaction.CommitAsync(ct);

    public ValueTask DisposeAsync() => transaction.DisposeAsync();
}

using System.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using ScimBridge.Model.Teams;
using ScimBridge.Model.Users;

namespace ScimBridge.Model.Persistence.Postgres;

/// <summary>
/// The SCIM lookups of one user in one round trip: the user, its e-mails and phone numbers, and its teams and groups go
/// to PostgreSQL as one batch of five prepared statements, where EF Core sends two queries (the user with its
/// collections, then the relations). The relations are kept for the <see cref="RelationsAsync"/> call that follows.
/// Runs on EF Core's connection, so it shares the unit of work's connection and transaction. Same rows and values as
/// <see cref="EfUserReader"/>.
/// </summary>
public sealed class PostgresUserReader(ScimBridgeDbContext db, PostgresUserStatements statements) : IUserReader
{
    private (Guid UserId, List<UserRelationRow> Rows)? _fetched;

    public Task<User?> FindByIdAsync(Guid organizationId, Guid userId, CancellationToken ct) =>
        FindAsync(statements.For(db).ById, organizationId, userId, ct);

    public Task<User?> FindByNormalizedUserNameAsync(Guid organizationId, string normalizedUserName, CancellationToken ct) =>
        FindAsync(statements.For(db).ByName, organizationId, normalizedUserName, ct);

    /// <summary>A list page takes two queries whatever its size; EF Core's batched reads serve it.</summary>
    public Task<IReadOnlyList<UserWithRelations>> PageAsync(Guid organizationId, IReadOnlyList<Guid> ids, bool teams, bool groups, CancellationToken ct) =>
        new EfUserReader(db).PageAsync(organizationId, ids, teams, groups, ct);

    public async Task<IReadOnlyList<UserRelationRow>> RelationsAsync(Guid organizationId, Guid userId, bool teams, bool groups, CancellationToken ct)
    {
        if (!teams && !groups)
        {
            return [];
        }

        List<UserRelationRow> rows;
        if (_fetched is { } fetched && fetched.UserId == userId)
        {
            _fetched = null;
            rows = fetched.Rows;
        }
        else
        {
            rows = [];
            await RunAsync(statements.For(db).RelationsById, organizationId, userId, async reader =>
            {
                await ReadRelationsAsync(reader, rows, ct);
                return 0;
            }, ct);
        }

        return [.. rows.Where(r => r.IsTeam ? teams : groups)];
    }

    private async Task<User?> FindAsync(IReadOnlyList<string> batch, Guid organizationId, object key, CancellationToken ct)
    {
        _fetched = null;
        var plan = statements.For(db);
        return await RunAsync(batch, organizationId, key, async reader =>
        {
            User? user = null;
            if (await reader.ReadAsync(ct))
            {
                user = plan.Users.Read(reader);
            }

            await reader.NextResultAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                user?.Emails.Add(plan.EmailRows.Read(reader));
            }

            await reader.NextResultAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                user?.PhoneNumbers.Add(plan.PhoneRows.Read(reader));
            }

            await reader.NextResultAsync(ct);
            var rows = new List<UserRelationRow>();
            await ReadRelationsAsync(reader, rows, ct);
            if (user is not null)
            {
                _fetched = (user.Id, rows);
            }

            return user;
        }, ct);
    }

    /// <summary>The teams result, then the groups result.</summary>
    private static async Task ReadRelationsAsync(NpgsqlDataReader reader, List<UserRelationRow> rows, CancellationToken ct)
    {
        while (await reader.ReadAsync(ct))
        {
            rows.Add(new UserRelationRow(reader.GetGuid(0), reader.GetString(1), Enum.Parse<TeamRole>(reader.GetString(2)), IsTeam: true));
        }

        await reader.NextResultAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            rows.Add(new UserRelationRow(reader.GetGuid(0), reader.GetString(1), TeamRole.Viewer, IsTeam: false));
        }
    }

    private async Task<T> RunAsync<T>(IReadOnlyList<string> sql, Guid organizationId, object key, Func<NpgsqlDataReader, Task<T>> read, CancellationToken ct)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var opened = connection.State != ConnectionState.Open;
        if (opened)
        {
            await db.Database.OpenConnectionAsync(ct);
        }

        try
        {
            await using var batch = new NpgsqlBatch(connection);
            var memberType = statements.For(db).UserMemberType;
            foreach (var statement in sql)
            {
                var command = new NpgsqlBatchCommand(statement);
                command.Parameters.Add(new NpgsqlParameter { Value = organizationId });
                command.Parameters.Add(new NpgsqlParameter { Value = key });
                if (statement.Contains("$3", StringComparison.Ordinal))
                {
                    command.Parameters.Add(new NpgsqlParameter { Value = memberType });
                }

                batch.BatchCommands.Add(command);
            }

            await using var reader = await batch.ExecuteReaderAsync(ct);
            return await read(reader);
        }
        finally
        {
            if (opened)
            {
                await db.Database.CloseConnectionAsync();
            }
        }
    }
}

using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using ScimBridge.Model.Organizations;
using ScimBridge.Model.Persistence;
using ScimBridge.Model.Reconcile;

namespace ScimBridge.Sync.Runs;

/// <summary>A run of the source as the start of another run sees it.</summary>
public readonly record struct SyncRunRow(long Id, SyncRunStatus Status, DateTimeOffset StartedAt, DateTimeOffset? LeaseExpiresAt);

/// <summary>
/// What the database says when a run starts: the source's cursor, the organization, and the runs that matter for the
/// start (running ones, and those abandoned since the last success). Everything a read depends on is here, so a read
/// can start before the run has claimed the source and be kept only when this has not changed meanwhile.
/// </summary>
public sealed record SyncRunBasis(SyncSourceState? State, Guid? OrganizationId, long LastSucceededId, IReadOnlyList<SyncRunRow> Runs);

/// <summary>
/// The start of a run in plain SQL: one round trip for its <see cref="SyncRunBasis"/>, one insert for its claim. A
/// `sync run` process would otherwise compile an EF Core query for each of them before its read could begin. Names,
/// parameters and values go through the model's mappings (quoted names, GUID text and ticks on SQLite, enum names),
/// so the statements are the ones EF Core would send, on SQLite and PostgreSQL alike.
/// </summary>
public static class SyncRunRows
{
    public static async Task<SyncRunBasis> ReadBasisAsync(ScimBridgeDbContext db, string source, string organizationSlug, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var states = Table<SyncSourceState>(db);
        var organizations = Table<Organization>(db);
        var runs = Table<SyncRun>(db);
        var (delta, lastFull, lastSucceeded, runsSinceFull) = (states.Property(nameof(SyncSourceState.DeltaState)),
            states.Property(nameof(SyncSourceState.LastFullRunAt)), states.Property(nameof(SyncSourceState.LastSucceededAt)),
            states.Property(nameof(SyncSourceState.RunsSinceFull)));
        var (started, lease) = (runs.Property(nameof(SyncRun.StartedAt)), runs.Property(nameof(SyncRun.LeaseExpiresAt)));
        var status = runs.Property(nameof(SyncRun.Status));
        var (id, runSource) = (runs.Column(nameof(SyncRun.Id)), runs.Column(nameof(SyncRun.Source)));
        var lastSuccess = $"SELECT MAX({id}) FROM {runs.Name} WHERE {runSource} = @source AND {status.Column} = @succeeded";
        var sql = $"""
            SELECT {delta.Column}, {lastFull.Column}, {lastSucceeded.Column}, {runsSinceFull.Column} FROM {states.Name} WHERE {states.Column(nameof(SyncSourceState.Source))} = @source;
            SELECT {organizations.Column(nameof(Organization.Id))} FROM {organizations.Name} WHERE {organizations.Column(nameof(Organization.Slug))} = @slug;
            {lastSuccess};
            SELECT {id}, {status.Column}, {started.Column}, {lease.Column} FROM {runs.Name}
            WHERE {runSource} = @source AND ({status.Column} = @running OR ({status.Column} = @abandoned AND {id} > COALESCE(({lastSuccess}), 0)))
            ORDER BY {id}
            """;

        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = sql;
            Add(command, "@source", runs.Property(nameof(SyncRun.Source)), source);
            Add(command, "@slug", organizations.Property(nameof(Organization.Slug)), organizationSlug);
            Add(command, "@succeeded", status, SyncRunStatus.Succeeded);
            Add(command, "@running", status, SyncRunStatus.Running);
            Add(command, "@abandoned", status, SyncRunStatus.Abandoned);
            await using var reader = await command.ExecuteReaderAsync(ct);
            SyncSourceState? state = null;
            if (await reader.ReadAsync(ct))
            {
                state = new SyncSourceState
                {
                    Source = source,
                    DeltaState = reader.IsDBNull(0) ? null : Read<string>(reader, 0, delta),
                    LastFullRunAt = ReadOrNull<DateTimeOffset>(reader, 1, lastFull),
                    LastSucceededAt = ReadOrNull<DateTimeOffset>(reader, 2, lastSucceeded),
                    RunsSinceFull = Read<int>(reader, 3, runsSinceFull),
                };
            }

            await reader.NextResultAsync(ct);
            Guid? organizationId = await reader.ReadAsync(ct) ? reader.GetFieldValue<Guid>(0) : null;
            await reader.NextResultAsync(ct);
            var lastSucceededId = await reader.ReadAsync(ct) && !reader.IsDBNull(0) ? reader.GetFieldValue<long>(0) : 0;
            await reader.NextResultAsync(ct);
            var rows = new List<SyncRunRow>();
            while (await reader.ReadAsync(ct))
            {
                rows.Add(new SyncRunRow(reader.GetFieldValue<long>(0), Read<SyncRunStatus>(reader, 1, status),
                    Read<DateTimeOffset>(reader, 2, started), ReadOrNull<DateTimeOffset>(reader, 3, lease)));
            }

            return new SyncRunBasis(state, organizationId, lastSucceededId, rows);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// Inserts the run's row, which claims its source: false, with nothing written, when another run of the source is
    /// running (the database keeps one running run per source, see <see cref="SyncRunClaims"/>).
    /// </summary>
    public static async Task<bool> TryClaimAsync(ScimBridgeDbContext db, SyncRun run, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(run);
        var runs = Table<SyncRun>(db);
        var columns = runs.Entity.GetProperties().Where(p => !p.IsPrimaryKey() && p.PropertyInfo is not null).ToList();
        var sql = $"INSERT INTO {runs.Name} ({string.Join(", ", columns.Select(p => runs.Column(p.Name)))}) "
            + $"VALUES ({string.Join(", ", columns.Select((_, i) => $"@p{i}"))}) RETURNING {runs.Column(nameof(SyncRun.Id))}";
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = sql;
            for (var i = 0; i < columns.Count; i++)
            {
                Add(command, $"@p{i}", new Mapped(columns[i], ""), columns[i].PropertyInfo!.GetValue(run));
            }

            run.Id = Convert.ToInt64(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
            return true;
        }
        catch (DbException e) when (SyncRunClaims.IsAnotherRunning(e))
        {
            return false;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static void Add(DbCommand command, string name, Mapped property, object? value)
    {
        // The mapping converts the value as EF Core would (ticks, enum names).
        var mapping = (RelationalTypeMapping)property.Property.GetRelationalTypeMapping();
        command.Parameters.Add(mapping.CreateParameter(command, name, value, property.Property.IsNullable));
    }

    private static T? ReadOrNull<T>(DbDataReader reader, int ordinal, Mapped property)
        where T : struct => reader.IsDBNull(ordinal) ? null : Read<T>(reader, ordinal, property);

    /// <summary>A value that is not null, as the model's mapping reads it.</summary>
    private static T Read<T>(DbDataReader reader, int ordinal, Mapped property)
    {
        var converter = ((RelationalTypeMapping)property.Property.GetRelationalTypeMapping()).Converter;
        return converter is null
            ? reader.GetFieldValue<T>(ordinal)
            : (T)converter.ConvertFromProvider(reader.GetValue(ordinal))!;
    }

    private static MappedTable Table<T>(ScimBridgeDbContext db)
    {
        var entity = db.Model.FindEntityType(typeof(T))!;
        var sql = db.GetService<ISqlGenerationHelper>();
        return new MappedTable(entity, sql.DelimitIdentifier(entity.GetTableName()!, entity.GetSchema()),
            StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema()), sql);
    }

    private sealed record MappedTable(IEntityType Entity, string Name, StoreObjectIdentifier Store, ISqlGenerationHelper Sql)
    {
        public string Column(string property) => Sql.DelimitIdentifier(Entity.FindProperty(property)!.GetColumnName(Store)!);

        public Mapped Property(string property) => new(Entity.FindProperty(property)!, Column(property));
    }

    private sealed record Mapped(IProperty Property, string Column);
}

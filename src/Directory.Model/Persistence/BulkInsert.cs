using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;
using ScimBridge.Model.Persistence.Postgres;

namespace ScimBridge.Model.Persistence;

/// <summary>
/// Inserts rows many at a time: a prepared statement with <see cref="RowsPerStatement"/> rows of VALUES is executed
/// whenever that many rows are buffered, and the rest at <see cref="FlushAsync"/>. Far fewer round trips than one
/// statement per row, on SQLite and PostgreSQL alike.
/// </summary>
internal sealed class BulkInsert : IAsyncDisposable
{
    private const int MaxRowsPerStatement = 50;

    /// <summary>From this many rows on, <see cref="RunAsync"/> writes with PostgreSQL's binary COPY.</summary>
    private const int CopyFrom = 50;

    /// <summary>
    /// SQLite finds each named parameter by a linear scan of the statement's names, so binding costs grow with the
    /// square of the parameter count: wide rows (a user has ~47 columns) go a few at a time.
    /// </summary>
    private const int MaxParametersPerStatement = 250;
    private readonly ScimBridgeDbContext _db;
    private readonly string _table;
    private readonly string _columns;
    private readonly string _suffix;
    private readonly IReadOnlyList<IProperty> _properties;
    private readonly List<object?[]> _pending = new(MaxRowsPerStatement);
    private BulkCommand? _full;

    private BulkInsert(ScimBridgeDbContext db, string table, string columns, string suffix, IReadOnlyList<IProperty> properties)
    {
        _db = db;
        _table = table;
        _columns = columns;
        _suffix = suffix;
        _properties = properties;
        RowsPerStatement = Math.Clamp(MaxParametersPerStatement / Math.Max(1, properties.Count), 1, MaxRowsPerStatement);
    }

    private int RowsPerStatement { get; }

    /// <param name="suffix">SQL after the VALUES list, e.g. an <c>ON CONFLICT</c> clause.</param>
    public static BulkInsert For<T>(ScimBridgeDbContext db, IReadOnlyList<string> properties, string suffix = "")
    {
        var (table, column) = BulkCommand.Names<T>(db);
        return new BulkInsert(db, table, string.Join(", ", properties.Select(column)), suffix,
            [.. properties.Select(p => BulkCommand.Column<T>(db, p))]);
    }

    /// <summary>
    /// Inserts whole entities of one type, every mapped column as EF Core would store it; store-generated identity
    /// keys are left to the database and not read back. For first runs of 100,000 users, where tracking costs far more
    /// than the database.
    /// </summary>
    public static async Task RunAsync<T>(ScimBridgeDbContext db, IEnumerable<T> rows, CancellationToken ct)
        where T : class
    {
        // On PostgreSQL many rows go in one binary COPY: a user's ~47 columns fit five to a 250-parameter INSERT.
        if (!db.IsSqlite)
        {
            var list = rows as IReadOnlyList<T> ?? [.. rows];
            if (list.Count >= CopyFrom)
            {
                await db.Database.OpenConnectionAsync(ct);
                try
                {
                    await PostgresCopy<T>.For(db.Model).WriteAsync((NpgsqlConnection)db.Database.GetDbConnection(), list, ct);
                }
                finally
                {
                    await db.Database.CloseConnectionAsync();
                }

                return;
            }

            rows = list;
        }

        var entity = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not an entity.");
        var properties = entity.GetProperties()
            .Where(p => !(p.ValueGenerated == ValueGenerated.OnAdd && p.IsPrimaryKey() && p.ClrType == typeof(long)))
            .ToList();
        await using var insert = For<T>(db, [.. properties.Select(p => p.Name)]);
        foreach (var row in rows)
        {
            await insert.AddAsync(ct, [.. properties.Select(p => p.GetGetter().GetClrValue(row))]);
        }

        await insert.FlushAsync(ct);
    }

    public async Task AddAsync(CancellationToken ct, params object?[] values)
    {
        _pending.Add(values);
        if (_pending.Count == RowsPerStatement)
        {
            _full ??= await PrepareAsync(RowsPerStatement, ct);
            await ExecuteAsync(_full, ct);
        }
    }

    public async Task FlushAsync(CancellationToken ct)
    {
        if (_pending.Count == 0)
        {
            return;
        }

        await using var rest = await PrepareAsync(_pending.Count, ct);
        await ExecuteAsync(rest, ct);
    }

    private async Task ExecuteAsync(BulkCommand command, CancellationToken ct)
    {
        var values = new object?[_pending.Count * _properties.Count];
        for (var row = 0; row < _pending.Count; row++)
        {
            _pending[row].CopyTo(values, row * _properties.Count);
        }

        await command.ExecuteAsync(ct, values);
        _pending.Clear();
    }

    private Task<BulkCommand> PrepareAsync(int rows, CancellationToken ct)
    {
        var width = _properties.Count;
        var tuples = Enumerable.Range(0, rows).Select(r => "(" + string.Join(", ", Enumerable.Range(0, width).Select(c => $"@p{(r * width) + c}")) + ")");
        var sql = $"INSERT INTO {_table} ({_columns}) VALUES {string.Join(", ", tuples)} {_suffix}";
        return BulkCommand.PrepareAsync(_db, sql, [.. Enumerable.Range(0, rows).SelectMany(_ => _properties)], ct);
    }

    public async ValueTask DisposeAsync()
    {
        if (_full is not null)
        {
            await _full.DisposeAsync();
        }
    }
}

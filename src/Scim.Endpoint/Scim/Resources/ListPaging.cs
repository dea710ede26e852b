using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using ScimBridge.Scim.Filtering;

namespace ScimBridge.Scim.Resources;

/// <summary>
/// Which ids are on a page of a list. Pages are read as ids first, then only the page's rows are loaded by id. In the
/// default order (creation time, then id) the database finds the ids in the (organization, deleted, created, id) index:
/// it seeks to a cursor's position (keyset), or steps over the index entries before a startIndex without reading a row.
/// </summary>
public static class ListPaging
{
    /// <summary>The ids of one index page: <paramref name="count"/> from <paramref name="offset"/> on.</summary>
    public static Task<List<Guid>> IndexPageAsync(IQueryable<Guid> orderedIds, int offset, int count, CancellationToken ct) =>
        orderedIds.Skip(offset).Take(count).ToListAsync(ct);

    /// <summary>One cursor page of a list in the order of <c>sortBy</c>: the cursor is an offset there.</summary>
    public static async Task<(List<Guid> Ids, ScimCursor? Next, ScimCursor? Previous)> SortedCursorPageAsync(
        IQueryable<Guid> orderedIds, ScimCursor? from, int count, CancellationToken ct)
    {
        var skip = from switch
        {
            null => 0,
            ScimCursor.Offset offset => offset.Skip,
            _ => throw ScimCursor.InvalidCursor("This cursor belongs to the list in its default order; send the same sortBy as the request that returned the cursor."),
        };
        var ids = await orderedIds.Skip(skip).Take(count + 1).ToListAsync(ct);
        var more = ids.Count > count;
        if (more)
        {
            ids.RemoveAt(count);
        }

        return (ids, more ? new ScimCursor.Offset(skip + count) : null, skip > 0 ? new ScimCursor.Offset(Math.Max(0, skip - count)) : null);
    }

    /// <summary>One cursor page in the default order: up to <paramref name="count"/> ids after (or before) <paramref name="from"/>, and the cursors around it.</summary>
    public static async Task<(List<Guid> Ids, ScimCursor? Next, ScimCursor? Previous)> KeysetPageAsync<T>(
        IQueryable<T> matching, Expression<Func<T, DateTimeOffset>> created, Expression<Func<T, Guid>> id,
        ScimCursor? cursor, int count, CancellationToken ct)
    {
        var from = cursor switch
        {
            null => null,
            ScimCursor.Keyset keyset => keyset,
            _ => throw ScimCursor.InvalidCursor("This cursor belongs to a list sorted by sortBy; send the same sortBy as the request that returned the cursor."),
        };
        var backward = from?.Backward == true;
        var source = from is null ? matching : matching.Where(Beyond(created, id, from));
        var ordered = backward ? source.OrderByDescending(created).ThenByDescending(id) : source.OrderBy(created).ThenBy(id);
        var rows = await ordered.Select(Key(created, id)).Take(count + 1).ToListAsync(ct);
        var more = rows.Count > count;
        if (more)
        {
            rows.RemoveAt(count);
        }

        if (backward)
        {
            rows.Reverse();
        }

        if (rows.Count == 0)
        {
            return ([], null, null);
        }

        // Going forward there is more when the extra row came back, and something before whenever we started from a
        // cursor; going back, the other way round.
        var hasNext = backward || more;
        var hasPrevious = backward ? more : from is not null;
        return ([.. rows.Select(r => r.Id)],
            hasNext ? new ScimCursor.Keyset(rows[^1].CreatedAt.UtcTicks, rows[^1].Id, Backward: false) : null,
            hasPrevious ? new ScimCursor.Keyset(rows[0].CreatedAt.UtcTicks, rows[0].Id, Backward: true) : null);
    }

    /// <summary>Rows strictly after <paramref name="key"/> in the default order (creation time, then id).</summary>
    public static Expression<Func<T, bool>> After<T>(Expression<Func<T, DateTimeOffset>> created, Expression<Func<T, Guid>> id, PageKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Beyond(created, id, new ScimCursor.Keyset(key.CreatedAt.UtcTicks, key.Id, Backward: false));
    }

    /// <summary>Rows strictly after (or before) the cursor's position, with a plain range on the creation time for the index to seek on.</summary>
    private static Expression<Func<T, bool>> Beyond<T>(
        Expression<Func<T, DateTimeOffset>> created, Expression<Func<T, Guid>> id, ScimCursor.Keyset from)
    {
        var row = Expression.Parameter(typeof(T), "r");
        var createdAt = ParameterReplacer.Bind(created, row);
        var rowId = ParameterReplacer.Bind(id, row);
        var at = ValueBox.Of(new DateTimeOffset(from.CreatedTicks, TimeSpan.Zero));
        var compared = Expression.Call(rowId, typeof(Guid).GetMethod(nameof(Guid.CompareTo), [typeof(Guid)])!, ValueBox.Of(from.Id));
        var zero = Expression.Constant(0);
        var body = from.Backward
            ? Expression.AndAlso(
                Expression.LessThanOrEqual(createdAt, at),
                Expression.OrElse(Expression.LessThan(createdAt, at), Expression.LessThan(compared, zero)))
            : Expression.AndAlso(
                Expression.GreaterThanOrEqual(createdAt, at),
                Expression.OrElse(Expression.GreaterThan(createdAt, at), Expression.GreaterThan(compared, zero)));
        return Expression.Lambda<Func<T, bool>>(body, row);
    }

    private static Expression<Func<T, PageKey>> Key<T>(Expression<Func<T, DateTimeOffset>> created, Expression<Func<T, Guid>> id)
    {
        var row = Expression.Parameter(typeof(T), "r");
        return Expression.Lambda<Func<T, PageKey>>(
            Expression.MemberInit(
                Expression.New(typeof(PageKey)),
                Expression.Bind(typeof(PageKey).GetProperty(nameof(PageKey.Id))!, ParameterReplacer.Bind(id, row)),
                Expression.Bind(typeof(PageKey).GetProperty(nameof(PageKey.CreatedAt))!, ParameterReplacer.Bind(created, row))),
            row);
    }

    /// <summary>Where a row stands in the default order.</summary>
    public sealed class PageKey
    {
        public Guid Id { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
    }
}

using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace ScimBridge.Model.Persistence;

/// <summary>
/// A precompiled EF Core query, compiled once per model. A compiled query is bound to the model it first ran with,
/// and the SQLite and PostgreSQL contexts have models of their own, so one static delegate cannot serve both.
/// </summary>
public sealed class CompiledPerModel<TQuery>(Func<TQuery> compile)
    where TQuery : Delegate
{
    private readonly ConcurrentDictionary<IModel, TQuery> _byModel = new();

    public TQuery For(DbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        return _byModel.GetOrAdd(db.Model, _ => compile());
    }
}

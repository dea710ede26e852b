using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace ScimBridge.Model.Persistence;

/// <summary>
/// A precompiled EF query, compiled once per model: EF refuses to run a compiled query against another model than the
/// first one it met, and one process may use both the SQLite and the PostgreSQL context (the test suites do).
/// </summary>
public sealed class CompiledQueryPerModel<TQuery>(Func<TQuery> compile)
    where TQuery : class
{
    private readonly ConditionalWeakTable<IModel, TQuery> _byModel = [];

    public TQuery For(DbContext db) => _byModel.GetValue(db.Model, _ => compile());
}

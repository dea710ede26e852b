using ScimBridge.Scim.Errors;

namespace ScimBridge.Scim.Bulk;

/// <summary>
/// In what order a BulkRequest's operations run, and which may run together. Pure: decides from the request alone.
/// <para>
/// Operations run in the order sent, except that one referencing a later POST's bulkId waits until that POST has run.
/// References that name no POST, or that go round in a circle, are refused without running anything.
/// </para>
/// </summary>
public sealed class BulkPlan
{
    private readonly Dictionary<int, IReadOnlyList<int>> _dependencies;

    private BulkPlan(IReadOnlyList<BulkOperation> order, Dictionary<int, IReadOnlyList<int>> dependencies)
    {
        Order = order;
        _dependencies = dependencies;
    }

    /// <summary>Every operation in the order it runs; refused ones carry their <see cref="BulkOperation.Problem"/>.</summary>
    public IReadOnlyList<BulkOperation> Order { get; }

    /// <summary>The indexes of the POSTs whose ids <paramref name="operation"/> references.</summary>
    public IReadOnlyList<int> DependenciesOf(BulkOperation operation) =>
        _dependencies.TryGetValue(operation.Index, out var found) ? found : [];

    public static BulkPlan Create(IReadOnlyList<BulkOperation> operations)
    {
        var definitions = operations
            .Where(o => o.IsCreate && o.BulkId is not null)
            .ToDictionary(o => o.BulkId!, o => o.Index, StringComparer.Ordinal);
        var refused = new Dictionary<int, BulkProblem>();
        var dependencies = new Dictionary<int, IReadOnlyList<int>>();
        foreach (var operation in operations.Where(o => o.Problem is null && o.References.Count > 0))
        {
            var undefined = operation.References.FirstOrDefault(r => !definitions.ContainsKey(r));
            if (undefined is not null)
            {
                refused[operation.Index] = new BulkProblem(400, ScimErrorTypes.InvalidValue,
                    $"bulkId '{undefined}' is not the bulkId of any POST in this request.");
                continue;
            }

            dependencies[operation.Index] = [.. operation.References.Select(r => definitions[r]).Distinct().Order()];
        }

        // Kahn's algorithm, always taking the lowest ready index: the sent order wherever references allow it.
        var waitingOn = operations.ToDictionary(o => o.Index, o => dependencies.TryGetValue(o.Index, out var d) ? d.Count : 0);
        var dependents = new Dictionary<int, List<int>>();
        foreach (var (index, found) in dependencies)
        {
            foreach (var dependency in found)
            {
                (dependents.TryGetValue(dependency, out var list) ? list : dependents[dependency] = []).Add(index);
            }
        }

        var ready = new PriorityQueue<int, int>(operations.Where(o => waitingOn[o.Index] == 0).Select(o => (o.Index, o.Index)));
        var byIndex = operations.ToDictionary(o => o.Index);
        var order = new List<BulkOperation>(operations.Count);
        while (ready.TryDequeue(out var index, out _))
        {
            var operation = byIndex[index];
            order.Add(refused.TryGetValue(index, out var problem) ? operation with { Problem = problem } : operation);
            foreach (var dependent in dependents.GetValueOrDefault(index) ?? [])
            {
                if (--waitingOn[dependent] == 0)
                {
                    ready.Enqueue(dependent, dependent);
                }
            }
        }

        // What is left references itself through others, or depends on such a circle.
        var emitted = order.Select(o => o.Index).ToHashSet();
        foreach (var operation in operations.Where(o => !emitted.Contains(o.Index)))
        {
            order.Add(operation with
            {
                Problem = new BulkProblem(409, ScimErrorTypes.InvalidValue,
                    "The bulkId references of this operation go round in a circle (or depend on one) and cannot be resolved."),
            });
        }

        return new BulkPlan(order, dependencies);
    }

    /// <summary>
    /// The operations from <paramref name="start"/> on that may run at once: consecutive creates that reference none of
    /// each other and share no unique value (<paramref name="uniqueKeys"/>: userName, extension), so running them
    /// together gives each the outcome it would have had in turn. Anything else runs alone.
    /// </summary>
    public IReadOnlyList<BulkOperation> NextWindow(int start, int maxSize, Func<BulkOperation, IReadOnlyCollection<string>> uniqueKeys)
    {
        var first = Order[start];
        if (maxSize <= 1 || !Joinable(first))
        {
            return [first];
        }

        var window = new List<BulkOperation> { first };
        var members = new HashSet<int> { first.Index };
        var keys = new HashSet<string>(uniqueKeys(first), StringComparer.Ordinal);
        for (var i = start + 1; i < Order.Count && window.Count < maxSize; i++)
        {
            var next = Order[i];
            if (!Joinable(next) || DependenciesOf(next).Any(members.Contains))
            {
                break;
            }

            var nextKeys = uniqueKeys(next);
            if (nextKeys.Any(keys.Contains))
            {
                break;
            }

            window.Add(next);
            members.Add(next.Index);
            keys.UnionWith(nextKeys);
        }

        return window;
    }

    private static bool Joinable(BulkOperation operation) => operation.IsCreate && operation.Problem is null;
}

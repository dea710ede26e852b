using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using ScimBridge.Model.Provisioning;
using ScimBridge.Model.Users;
using ScimBridge.Scim.Errors;
using ScimBridge.Scim.Options;
using ScimBridge.Scim.Resources;
using ScimBridge.Scim.Users;

namespace ScimBridge.Scim.Bulk;

/// <summary>
/// <c>POST /Bulk</c> (RFC 7644 §3.7): many creates, replaces, patches and deletes of users and groups in one request,
/// each run by the endpoint that serves it alone and answered with its own status.
/// </summary>
public static class BulkEndpoint
{
    public const string ResponseSchema = "urn:ietf:params:scim:api:messages:2.0:BulkResponse";

    /// <summary>
    /// Creates that may run at once. Creates arriving together share a transaction on SQLite (group commit), so a window
    /// of them costs about one commit; more than this adds little and holds more connections.
    /// </summary>
    private const int MaxConcurrentCreates = 32;

    public static RouteGroupBuilder MapBulk(this RouteGroupBuilder scim)
    {
        // Each operation opens its own connection in its own scope; the bulk request itself needs none.
        scim.MapPost("/Bulk", BulkAsync).WithMetadata(ScimEndpoints.ConnectionOnDemand.Instance);
        return scim;
    }

    public static async Task<IResult> BulkAsync(
        HttpContext http, EndpointDataSource endpoints, IServiceScopeFactory scopes, IOptions<ScimOptions> options,
        ILoggerFactory loggers, CancellationToken ct)
    {
        var request = BulkRequest.Parse(await ScimRequestBody.ReadObjectAsync(http, ct), options.Value.BulkMaxOperations);
        var plan = BulkPlan.Create(request.Operations);
        var dispatcher = new BulkDispatcher(http, endpoints, scopes, loggers.CreateLogger(typeof(BulkEndpoint).FullName!));
        var outcomes = new Dictionary<int, BulkOutcome>(request.Operations.Count);
        var created = new Dictionary<string, string>(StringComparer.Ordinal);
        var errors = 0;
        for (var next = 0; next < plan.Order.Count;)
        {
            // With failOnErrors, a window is never so large that its earlier operations could reach the limit: the
            // operations after the one that reaches it must not have run.
            var room = request.FailOnErrors is { } limit ? limit - errors : int.MaxValue;
            var limits = options.Value.ValueLimits();
            var window = plan.NextWindow(next, Math.Min(room, MaxConcurrentCreates), operation => UniqueKeys(operation, limits));
            var results = await Task.WhenAll(window.Select(operation => RunAsync(operation, plan, outcomes, created, dispatcher, ct)));
            for (var i = 0; i < window.Count; i++)
            {
                var (operation, outcome) = (window[i], results[i]);
                outcomes[operation.Index] = outcome;
                if (outcome.CreatedId is { } id && operation.BulkId is { } bulkId)
                {
                    created[bulkId] = id;
                }

                errors += outcome.Succeeded ? 0 : 1;
            }

            next += window.Count;
            if (errors >= request.FailOnErrors)
            {
                break;
            }
        }

        return new ScimJsonResult(StatusCodes.Status200OK, Response(request, outcomes));
    }

    private static Task<BulkOutcome> RunAsync(
        BulkOperation operation, BulkPlan plan, Dictionary<int, BulkOutcome> outcomes, Dictionary<string, string> created,
        BulkDispatcher dispatcher, CancellationToken ct)
    {
        if (operation.Problem is { } problem)
        {
            return Task.FromResult(BulkOutcome.Failed(problem.Status, problem.ScimType, problem.Detail));
        }

        // Windows never hold an operation together with one it references, so those have all run by now.
        var failed = plan.DependenciesOf(operation).FirstOrDefault(d => outcomes[d].CreatedId is null, -1);
        if (failed >= 0)
        {
            var bulkId = plan.Order.First(o => o.Index == failed).BulkId;
            return Task.FromResult(BulkOutcome.Failed(409, ScimErrorTypes.InvalidValue,
                $"The operation with bulkId '{bulkId}' failed, so the id it stands for is not known."));
        }

        return dispatcher.RunAsync(operation, created, ct);
    }

    /// <summary>What a user create claims that must be unique: two creates claiming the same value do not run at once.</summary>
    private static IReadOnlyCollection<string> UniqueKeys(BulkOperation operation, ValueLimits limits)
    {
        if (operation.Target?.Collection != "Users" || operation.Data is null)
        {
            return [];
        }

        try
        {
            var profile = ScimUserMapping.ToProfile(operation.Data, limits);
            return profile.Platform.PhoneExtension is { } extension
                ? ["userName:" + User.Normalize(profile.UserName), "extension:" + extension]
                : ["userName:" + User.Normalize(profile.UserName)];
        }
        catch (Exception e) when (e is ScimException or DirectoryException)
        {
            // Data that does not even map to a user fails on its own, whatever runs beside it.
            return [];
        }
    }

    private static JsonObject Response(BulkRequest request, Dictionary<int, BulkOutcome> outcomes)
    {
        var operations = new JsonArray();
        foreach (var operation in request.Operations.Where(o => outcomes.ContainsKey(o.Index)))
        {
            var outcome = outcomes[operation.Index];
            var entry = new JsonObject { ["method"] = operation.Method };
            if (operation.BulkId is not null)
            {
                entry["bulkId"] = operation.BulkId;
            }

            if (outcome.Version is not null)
            {
                entry["version"] = outcome.Version;
            }

            if (outcome.Location is not null)
            {
                entry["location"] = outcome.Location;
            }

            entry["status"] = outcome.Status.ToString(CultureInfo.InvariantCulture);
            if (outcome.Response is not null)
            {
                entry["response"] = outcome.Response;
            }

            operations.Add(entry);
        }

        return new JsonObject
        {
            ["schemas"] = new JsonArray(ResponseSchema),
            ["Operations"] = operations,
        };
    }
}

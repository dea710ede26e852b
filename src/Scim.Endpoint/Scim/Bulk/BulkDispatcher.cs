using System.Text.Json;
using System.Text.Json.Nodes;
using ScimBridge.Scim.Errors;
using ScimBridge.Scim.Resources;

namespace ScimBridge.Scim.Bulk;

/// <summary>What one operation answered, as its entry in the BulkResponse shows it.</summary>
/// <param name="CreatedId">The id of the resource a successful POST created; what its bulkId stands for.</param>
public sealed record BulkOutcome(int Status, string? Location, string? Version, JsonNode? Response, string? CreatedId)
{
    public bool Succeeded => Status is >= 200 and < 300;

    public static BulkOutcome Failed(int status, string? scimType, string detail) =>
        new(status, null, null, JsonSerializer.SerializeToNode(ScimError.Of(status, scimType, detail), ScimJson.Options), null);
}

/// <summary>
/// Runs one bulk operation through the very endpoint that serves the same request on its own (<c>POST /Users</c>,
/// <c>PATCH /Groups/{id}</c>…): same handler, same filters, same Provisioning calls, in a DI scope of its own, so a
/// bulk create and a single create cannot drift apart. The caller's identity and organization carry over.
/// </summary>
public sealed class BulkDispatcher
{
    private readonly HttpContext _parent;
    private readonly IServiceScopeFactory _scopes;
    private readonly ILogger _logger;
    private readonly Dictionary<(string Method, string Pattern), Endpoint> _endpoints;

    public BulkDispatcher(HttpContext parent, EndpointDataSource endpoints, IServiceScopeFactory scopes, ILogger logger)
    {
        _parent = parent;
        _scopes = scopes;
        _logger = logger;
        _endpoints = [];
        foreach (var endpoint in endpoints.Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = endpoint.RoutePattern.RawText?.TrimEnd('/') ?? "";
            foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [])
            {
                _endpoints.TryAdd((method, pattern.ToUpperInvariant()), endpoint);
            }
        }
    }

    /// <summary>Runs <paramref name="operation"/> with its bulkId references replaced by the ids in <paramref name="created"/>.</summary>
    public async Task<BulkOutcome> RunAsync(BulkOperation operation, IReadOnlyDictionary<string, string> created, CancellationToken ct)
    {
        var target = operation.Target!;
        var id = BulkReferences.Named(target.Id) is { } reference ? created[reference] : target.Id;
        var pattern = $"{ScimEndpoints.BasePath}/{target.Collection}" + (id is null ? "" : "/{id}");
        if (!_endpoints.TryGetValue((operation.Method, pattern.ToUpperInvariant()), out var endpoint) || endpoint.RequestDelegate is null)
        {
            return BulkOutcome.Failed(405, null, $"{operation.Method} is not supported on {operation.Path}.");
        }

        await using var scope = _scopes.CreateAsyncScope();
        var context = Request(operation, target, id, created, scope.ServiceProvider, ct);
        context.SetEndpoint(endpoint);
        try
        {
            await endpoint.RequestDelegate(context);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            var error = ScimExceptionHandler.Describe(e);
            if (error is null)
            {
                _logger.LogError(e, "Bulk operation {Index} ({Method} {Path}) failed", operation.Index, operation.Method, operation.Path);
                error = ScimError.Of(500, null, "An internal error occurred.");
            }

            return new BulkOutcome(int.Parse(error.Status, System.Globalization.CultureInfo.InvariantCulture), null, null,
                JsonSerializer.SerializeToNode(error, ScimJson.Options), null);
        }

        return Outcome(context, target, id);
    }

    private DefaultHttpContext Request(
        BulkOperation operation, BulkTarget target, string? id, IReadOnlyDictionary<string, string> created, IServiceProvider services, CancellationToken ct)
    {
        var context = new DefaultHttpContext
        {
            RequestServices = services,
            User = _parent.User,
            RequestAborted = ct,
        };
        var request = context.Request;
        request.Method = operation.Method;
        request.Scheme = _parent.Request.Scheme;
        request.Host = _parent.Request.Host;
        request.PathBase = _parent.Request.PathBase;
        request.Path = $"{ScimEndpoints.BasePath}/{target.Collection}" + (id is null ? "" : "/" + Uri.EscapeDataString(id));
        if (id is not null)
        {
            request.RouteValues["id"] = id;
        }

        if (operation.Data is { } data)
        {
            var resolved = operation.References.Count == 0 ? data : BulkReferences.Resolve(data, created)!;
            var bytes = JsonSerializer.SerializeToUtf8Bytes(resolved, ScimJson.Options);
            request.Body = new MemoryStream(bytes, writable: false);
            request.ContentLength = bytes.Length;
            request.ContentType = ScimJson.MediaType;
        }

        if (operation.Version is { } version)
        {
            request.Headers.IfMatch = version;
        }

        context.Response.Body = new MemoryStream();
        return context;
    }

    private BulkOutcome Outcome(DefaultHttpContext context, BulkTarget target, string? id)
    {
        var response = context.Response;
        var body = (MemoryStream)response.Body;
        var json = body.Length == 0 ? null : JsonNode.Parse(body.GetBuffer().AsSpan(0, (int)body.Length));
        var createdId = id is null && json is JsonObject resource ? ScimNode.String(resource, "id") : null;
        var location = response.Headers.Location.ToString() is { Length: > 0 } header ? header
            : (id ?? createdId) is { } resourceId && response.StatusCode < 300
                ? ScimMeta.BaseUrl(_parent.Request, target.Collection) + resourceId
                : null;
        var etag = response.Headers.ETag.ToString();
        return new BulkOutcome(response.StatusCode, location, etag.Length == 0 ? null : etag, json, createdId);
    }
}

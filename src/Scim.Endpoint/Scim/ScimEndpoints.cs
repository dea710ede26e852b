using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;
using ScimBridge.Model.Persistence;
using Microsoft.Extensions.Options;
using ScimBridge.Scim.Auth;
using ScimBridge.Scim.Bulk;
using ScimBridge.Scim.Discovery;
using ScimBridge.Scim.Errors;
using ScimBridge.Scim.Groups;
using ScimBridge.Scim.Options;
using ScimBridge.Scim.Resources;
using ScimBridge.Scim.Users;

namespace ScimBridge.Scim;

/// <summary>Registers and maps the SCIM 2.0 server under <c>/scim/v2</c>.</summary>
public static class ScimEndpoints
{
    public const string BasePath = "/scim/v2";
    public const string Policy = "scim";
    private const string RateLimitPolicy = "scim-per-organization";

    public static IHostApplicationBuilder AddScimServer(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ScimOptions>().BindConfiguration(ScimOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.TrustedProxies.All(p => TrustedProxies.TryParse(p) is not null), "ScimBridge:Scim:TrustedProxies lists IP addresses or CIDR ranges (10.0.0.0/8).")
            .ValidateOnStart();
        services.AddSingleton<TrustedProxies>();
        services.AddMemoryCache();
        // Room above ScimOptions.MaxUrlLength, so that an over-long target reaches the service and gets a SCIM 414 body.
        services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(k => k.Limits.MaxRequestLineSize = 64 * 1024);
        services.AddSingleton<ScimJwtValidator>();
        services.AddSingleton<PageAnchors>();
        services.AddExceptionHandler<ScimExceptionHandler>();
        services.AddProblemDetails();
        services.AddAuthentication()
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ScimTokenAuthentication>(ScimTokenAuthentication.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(Policy, p => p.AddAuthenticationSchemes(ScimTokenAuthentication.SchemeName).RequireClaim(ScimTenant.OrganizationClaim));
        services.AddRateLimiter(o =>
        {
            o.AddPolicy(RateLimitPolicy, context =>
            {
                var limits = context.RequestServices.GetRequiredService<IOptions<ScimOptions>>().Value;
                var organization = context.User.FindFirst(ScimTenant.OrganizationClaim)?.Value;
                if (limits.RequestsPerSecondPerOrganization == 0 || organization is null)
                {
                    return RateLimitPartition.GetNoLimiter("unlimited");
                }

                return RateLimitPartition.GetTokenBucketLimiter(organization, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = limits.RequestBurstPerOrganization,
                    TokensPerPeriod = limits.RequestsPerSecondPerOrganization,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
            o.OnRejected = async (context, ct) =>
            {
                context.HttpContext.RequestServices.GetRequiredService<Operations.ScimBridgeMetrics>().RateLimited(Operations.RequestTags.OrganizationOf(context.HttpContext));
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
                context.HttpContext.Response.Headers.RetryAfter =
                    Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                await ScimError.Of(429, null, "Too many requests for this organization; retry after the time given in Retry-After.")
                    .WriteAsync(context.HttpContext);
            };
        });
        return builder;
    }

    /// <summary>The <c>/scim/v2</c> route group: token-authenticated, rate-limited per organization, size-limited.</summary>
    public static RouteGroupBuilder MapScim(this IEndpointRouteBuilder app)
    {
        var scim = app.MapGroup(BasePath)
            .RequireAuthorization(Policy)
            .RequireRateLimiting(RateLimitPolicy)
            .AddEndpointFilter(RejectInvalidTokens)
            .AddEndpointFilter(RejectOversizedBodies)
            .AddEndpointFilter(OneUnitOfWork);
        scim.MapDiscovery();
        scim.MapUsers();
        scim.MapGroups();
        scim.MapRootSearch();
        scim.MapBulk();
        scim.Map("/Me", NotImplementedMe);
        return scim;
    }

    /// <summary>
    /// Each request is one unit of work, and here alone is decided what it does with the database: GET, HEAD and
    /// <c>.search</c> only read; endpoints marked <see cref="ConnectionOnDemand"/> mostly write without EF Core; the rest
    /// read and write through it. Which connections that means is the database's business (<see cref="IDatabaseWorkScope"/>).
    /// </summary>
    private static async ValueTask<object?> OneUnitOfWork(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var work = HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method)
            || http.Request.Path.Value?.EndsWith("/.search", StringComparison.Ordinal) == true
                ? DatabaseWork.Reads
                : http.GetEndpoint()?.Metadata.GetMetadata<ConnectionOnDemand>() is not null
                    ? DatabaseWork.WritesOnDemand
                    : DatabaseWork.Writes;
        var scope = http.RequestServices.GetRequiredService<IDatabaseWorkScope>();
        return await scope.RunAsync(work, () => next(context).AsTask(), http.RequestAborted);
    }

    /// <summary>RFC 7644 §3.11: /Me is optional; a server without it answers 501. A SCIM token stands for an organization, not a user.</summary>
    private static IResult NotImplementedMe() =>
        throw new ScimException(StatusCodes.Status501NotImplemented, null, "/Me is not implemented: SCIM tokens belong to an organization, not to a user.");

    /// <summary>
    /// Discovery needs no token, but a request that sends a bad one gets 401 there too (RFC 6750 §3.1): a client with a
    /// broken token should learn it on its first call, whichever endpoint that is.
    /// </summary>
    private static async ValueTask<object?> RejectInvalidTokens(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (http.User.FindFirst(ScimTenant.OrganizationClaim) is null && http.Request.Headers.Authorization.Count > 0)
        {
            var result = await http.AuthenticateAsync(ScimTokenAuthentication.SchemeName);
            if (result.Failure is not null)
            {
                await http.ChallengeAsync(ScimTokenAuthentication.SchemeName);
                return Results.Empty;
            }
        }

        return await next(context);
    }

    private static async ValueTask<object?> RejectOversizedBodies(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var limit = http.RequestServices.GetRequiredService<IOptions<ScimOptions>>().Value.MaxPayloadBytes;
        if (http.Request.ContentLength > limit)
        {
            throw ScimException.PayloadTooLarge($"The request body is {http.Request.ContentLength} bytes; the limit is {limit}.");
        }

        var sizeFeature = http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
        {
            sizeFeature.MaxRequestBodySize = limit;
        }

        return await next(context);
    }

    /// <summary>Marks a write endpoint whose EF Core queries open the connection as they need it (see <see cref="OneUnitOfWork"/>).</summary>
    public sealed class ConnectionOnDemand
    {
        public static readonly ConnectionOnDemand Instance = new();

        private ConnectionOnDemand()
        {
        }
    }
}

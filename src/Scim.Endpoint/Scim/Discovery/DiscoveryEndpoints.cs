using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using ScimBridge.Scim.Errors;
using ScimBridge.Scim.Options;
using ScimBridge.Scim.Resources;

namespace ScimBridge.Scim.Discovery;

/// <summary><c>/ServiceProviderConfig</c>, <c>/Schemas</c> and <c>/ResourceTypes</c> (RFC 7644 §4), telling only what is supported.</summary>
public static class DiscoveryEndpoints
{
    public static RouteGroupBuilder MapDiscovery(this RouteGroupBuilder scim)
    {
        scim.MapGet("/ServiceProviderConfig", ServiceProviderConfig).AllowAnonymous();
        scim.MapGet("/Schemas", Schemas).AllowAnonymous();
        scim.MapGet("/Schemas/{id}", Schema).AllowAnonymous();
        scim.MapGet("/ResourceTypes", ResourceTypes).AllowAnonymous();
        scim.MapGet("/ResourceTypes/{id}", ResourceType).AllowAnonymous();
        return scim;
    }

    private static IResult ServiceProviderConfig(HttpContext http, IOptions<ScimOptions> options)
    {
        RejectFilter(http);
        var o = options.Value;
        var body = new JsonObject
        {
            ["schemas"] = new JsonArray(ScimUrns.ServiceProviderConfig),
            ["patch"] = new JsonObject { ["supported"] = true },
            ["bulk"] = new JsonObject { ["supported"] = false, ["maxOperations"] = 0, ["maxPayloadSize"] = o.MaxPayloadBytes },
            ["filter"] = new JsonObject { ["supported"] = true, ["maxResults"] = o.MaxPageSize },
            ["changePassword"] = new JsonObject { ["supported"] = false },
            ["sort"] = new JsonObject { ["supported"] = true },
            ["etag"] = new JsonObject { ["supported"] = true },
            ["authenticationSchemes"] = new JsonArray(new JsonObject
            {
                ["type"] = "oauthbearertoken",
                ["name"] = "OAuth Bearer Token",
                ["description"] = "A per-organization SCIM token, or an OAuth 2.0 access token from the organization's trusted issuer.",
                ["specUri"] = "https://www.rfc-editor.org/info/rfc6750",
                ["primary"] = true,
            }),
            ["meta"] = Meta(http, "ServiceProviderConfig", "/ServiceProviderConfig"),
        };
        return Scim(body);
    }

    private static IResult Schemas(HttpContext http)
    {
        RejectFilter(http);
        var resources = ScimSchemas.All.Select(s => (JsonNode)Render(http, s)).ToArray();
        return Scim(ListResponse(resources));
    }

    private static IResult Schema(HttpContext http, string id)
    {
        var schema = ScimSchemas.All.FirstOrDefault(s => string.Equals(s.Id, id, StringComparison.OrdinalIgnoreCase))
            ?? throw ScimException.NotFound($"No schema '{id}'.");
        return Scim(Render(http, schema));
    }

    private static IResult ResourceTypes(HttpContext http)
    {
        RejectFilter(http);
        return Scim(ListResponse([UserType(http), GroupType(http)]));
    }

    private static IResult ResourceType(HttpContext http, string id) =>
        id.ToUpperInvariant() switch
        {
            "USER" => Scim(UserType(http)),
            "GROUP" => Scim(GroupType(http)),
            _ => throw ScimException.NotFound($"No resource type '{id}'."),
        };

    private static JsonObject UserType(HttpContext http) => new()
    {
        ["schemas"] = new JsonArray(ScimUrns.ResourceType),
        ["id"] = "User",
        ["name"] = "User",
        ["endpoint"] = "/Users",
        ["description"] = "User Account",
        ["schema"] = ScimUrns.User,
        ["schemaExtensions"] = new JsonArray(
            new JsonObject { ["schema"] = ScimUrns.EnterpriseUser, ["required"] = false },
            new JsonObject { ["schema"] = ScimUrns.PlatformUser, ["required"] = false }),
        ["meta"] = Meta(http, "ResourceType", "/ResourceTypes/User"),
    };

    private static JsonObject GroupType(HttpContext http) => new()
    {
        ["schemas"] = new JsonArray(ScimUrns.ResourceType),
        ["id"] = "Group",
        ["name"] = "Group",
        ["endpoint"] = "/Groups",
        ["description"] = "Group",
        ["schema"] = ScimUrns.Group,
        ["schemaExtensions"] = new JsonArray(),
        ["meta"] = Meta(http, "ResourceType", "/ResourceTypes/Group"),
    };

    private static JsonObject Render(HttpContext http, ScimSchema schema) => new()
    {
        ["schemas"] = new JsonArray(ScimUrns.Schema),
        ["id"] = schema.Id,
        ["name"] = schema.Name,
        ["description"] = schema.Description,
        ["attributes"] = new JsonArray([.. schema.Attributes.Select(Render)]),
        ["meta"] = Meta(http, "Schema", "/Schemas/" + schema.Id),
    };

    private static JsonObject Render(SchemaAttribute a)
    {
        var node = new JsonObject
        {
            ["name"] = a.Name,
            ["type"] = a.Type,
            ["multiValued"] = a.MultiValued,
            ["description"] = a.Description,
            ["required"] = a.Required,
            ["caseExact"] = a.CaseExact,
            ["mutability"] = a.Mutability,
            ["returned"] = a.Returned,
            ["uniqueness"] = a.Uniqueness,
        };
        if (a.SubAttributes is { } subs)
        {
            node["subAttributes"] = new JsonArray([.. subs.Select(Render)]);
        }

        if (a.CanonicalValues is { } values)
        {
            node["canonicalValues"] = new JsonArray([.. values.Select(v => (JsonNode)v)]);
        }

        if (a.ReferenceTypes is { } types)
        {
            node["referenceTypes"] = new JsonArray([.. types.Select(v => (JsonNode)v)]);
        }

        return node;
    }

    private static JsonObject ListResponse(JsonNode[] resources) => new()
    {
        ["schemas"] = new JsonArray(ScimUrns.ListResponse),
        ["totalResults"] = resources.Length,
        ["itemsPerPage"] = resources.Length,
        ["startIndex"] = 1,
        ["Resources"] = new JsonArray(resources),
    };

    private static JsonObject Meta(HttpContext http, string resourceType, string path) => new()
    {
        ["resourceType"] = resourceType,
        ["location"] = PublicLocation(http, path),
    };

    // RFC 7644 §4: discovery endpoints are not filterable.
    private static void RejectFilter(HttpContext http)
    {
        if (http.Request.Query.ContainsKey("filter"))
        {
            throw new ScimException(403, null, "Filtering is not supported on discovery endpoints.");
        }
    }

    private static IResult Scim(JsonNode body) =>
        Results.Text(body.ToJsonString(ScimJson.Options), ScimJson.MediaType, System.Text.Encoding.UTF8);

    private static string PublicLocation(HttpContext http, string path)
    {
        var (scheme, host) = PublicOrigin.Of(http.Request);
        return $"{scheme}://{host}{http.Request.PathBase}{ScimEndpoints.BasePath}{path}";
    }
}

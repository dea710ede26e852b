using System.ComponentModel.DataAnnotations;

namespace ScimBridge.Scim.Options;

/// <summary>SCIM server settings. Bound from <c>ScimBridge:Scim</c>.</summary>
public sealed class ScimOptions
{
    public const string Section = "ScimBridge:Scim";

    /// <summary>Largest accepted request body, advertised as <c>bulk.maxPayloadSize</c>.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxPayloadBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Page size when a list request names no <c>count</c>.</summary>
    [Range(1, 10_000)]
    public int DefaultPageSize { get; set; } = 100;

    /// <summary>Largest page returned, advertised as <c>filter.maxResults</c>.</summary>
    [Range(1, 10_000)]
    public int MaxPageSize { get; set; } = 1000;

    /// <summary>Sustained requests per second allowed per organization; 0 turns the limit off.</summary>
    [Range(0, 1_000_000)]
    public int RequestsPerSecondPerOrganization { get; set; } = 200;

    /// <summary>Requests an organization may send at once above the sustained rate.</summary>
    [Range(1, 1_000_000)]
    public int RequestBurstPerOrganization { get; set; } = 1000;

    /// <summary>
    /// The address identity providers reach the service at (e.g. <c>https://scim.example.org</c>, the reverse proxy);
    /// <c>tokens create</c> prints it with <c>/scim/v2</c> as the tenant URL. Empty: the first of <c>Urls</c>.
    /// </summary>
    public string? PublicUrl { get; set; }

    /// <summary>Audience expected in OAuth access tokens when the organization names none.</summary>
    public string? JwtAudience { get; set; }
}

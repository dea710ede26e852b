using System.ComponentModel.DataAnnotations;
using ScimBridge.Scim.Filtering;

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

    /// <summary>Audience expected in OAuth access tokens when the organization names none.</summary>
    public string? JwtAudience { get; set; }

    /// <summary>Deepest nesting of parentheses, <c>not</c> and value paths in a filter or PATCH path.</summary>
    [Range(1, 200)]
    public int MaxFilterDepth { get; set; } = FilterLimits.Default.MaxDepth;

    /// <summary>Most comparisons (<c>attr op value</c>, <c>attr pr</c>) in one filter or PATCH path.</summary>
    [Range(1, 1000)]
    public int MaxFilterTerms { get; set; } = FilterLimits.Default.MaxTerms;

    /// <summary>Longest accepted string value of a user or group attribute, in characters.</summary>
    [Range(64, 1_000_000)]
    public int MaxValueLength { get; set; } = 1024;

    /// <summary>Most values of one multi-valued user attribute (emails, phoneNumbers, addresses, roles).</summary>
    [Range(1, 100_000)]
    public int MaxValuesPerAttribute { get; set; } = 100;

    /// <summary>Longest request target (path and query) under <c>/scim/v2</c>; longer ones get 414. Kestrel itself allows 64 KB.</summary>
    [Range(1024, 60 * 1024)]
    public int MaxUrlLength { get; set; } = 8192;

    /// <summary>
    /// Reverse proxies (IP addresses or CIDR ranges) whose <c>X-Forwarded-Proto</c> and <c>X-Forwarded-Host</c> give the
    /// public URL used in <c>meta.location</c> and <c>$ref</c>. Headers from any other peer are ignored.
    /// </summary>
    public List<string> TrustedProxies { get; set; } = [];

    public FilterLimits ParseLimits() => new(MaxFilterDepth, MaxFilterTerms);

    public Resources.ValueLimits ValueLimits() => new(MaxValueLength, MaxValuesPerAttribute);
}

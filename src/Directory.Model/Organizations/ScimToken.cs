using System.Security.Cryptography;
using System.Text;

namespace ScimBridge.Model.Organizations;

/// <summary>A bearer secret an identity provider uses to call the SCIM API; only its hash is stored.</summary>
public sealed class ScimToken
{
    private const string SecretPrefix = "scb_";

    public Guid Id { get; set; } = EntityIds.New();

    public Guid OrganizationId { get; set; }

    /// <summary>Label shown in the audit trail as the SCIM client's name.</summary>
    public string Name { get; set; } = "";

    /// <summary>First characters of the secret, enough to recognise it in a list.</summary>
    public string Prefix { get; set; } = "";

    /// <summary>SHA-256 of the whole secret.</summary>
    public byte[] Hash { get; set; } = [];

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    /// <summary>When the token last authenticated a request, to within <see cref="LastUseGranularity"/>; null if never.</summary>
    public DateTimeOffset? LastUsedAt { get; set; }

    /// <summary>A token's last use is written at most this often: a SCIM client sends thousands of requests a minute.</summary>
    public static readonly TimeSpan LastUseGranularity = TimeSpan.FromMinutes(5);

    /// <summary>Makes a new random secret and the token row that recognises it.</summary>
    public static (ScimToken Token, string Secret) Issue(Guid organizationId, string name, DateTimeOffset now)
    {
        var secret = SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var token = new ScimToken
        {
            OrganizationId = organizationId,
            Name = name,
            Prefix = secret[..12],
            Hash = HashSecret(secret),
            CreatedAt = now,
        };
        return (token, secret);
    }

    public static byte[] HashSecret(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    /// <summary>Constant-time comparison of a presented secret with the stored hash.</summary>
    public bool Matches(string secret) => CryptographicOperations.FixedTimeEquals(HashSecret(secret), Hash);
}

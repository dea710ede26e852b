using System.Security.Cryptography;
using System.Text;

namespace ScimBridge.Model.Organizations;

/// <summary>A one-time sign-in link to the admin console for one user; only the hash of its secret is stored.</summary>
public sealed class AdminLoginLink
{
    public Guid Id { get; set; } = EntityIds.New();
    public Guid OrganizationId { get; set; }
    public Guid UserId { get; set; }

    /// <summary>SHA-256 of the secret in the link.</summary>
    public byte[] Hash { get; set; } = [];

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>Set when the link is used; a used link never works again.</summary>
    public DateTimeOffset? UsedAt { get; set; }

    /// <summary>Makes a new random secret and the row that recognises it.</summary>
    public static (AdminLoginLink Link, string Secret) Issue(Guid organizationId, Guid userId, DateTimeOffset now, TimeSpan validFor)
    {
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var link = new AdminLoginLink
        {
            OrganizationId = organizationId,
            UserId = userId,
            Hash = HashSecret(secret),
            CreatedAt = now,
            ExpiresAt = now + validFor,
        };
        return (link, secret);
    }

    public static byte[] HashSecret(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));
}

using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ScimBridge.Model.Audit;

/// <summary>One tamper-evident record: who did what to which object, with before and after, chained by hash per organization.</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }
    public Guid OrganizationId { get; set; }
    public DateTimeOffset At { get; set; }

    /// <summary>Who acted, e.g. <c>scim:okta-prod</c>, <c>sync:corp-ldap#42</c>, <c>admin:jane@example.org</c>.</summary>
    public string Actor { get; set; } = "";

    /// <summary>What happened, e.g. <c>user.created</c>, <c>user.deactivated</c>, <c>membership.removed</c>.</summary>
    public string Action { get; set; } = "";

    public string TargetType { get; set; } = "";
    public string TargetId { get; set; } = "";

    /// <summary>JSON of the object before the change, when there was one.</summary>
    public string? Before { get; set; }

    /// <summary>JSON of the object after the change, when there is one.</summary>
    public string? After { get; set; }

    /// <summary>Why, e.g. the mapping rule and file version, or the sync run's reason.</summary>
    public string? Cause { get; set; }

    public string PreviousHash { get; set; } = "";
    public string Hash { get; set; } = "";

    /// <summary>The hash this entry must carry given the previous entry's hash.</summary>
    /// <remarks>
    /// SHA-256 of the UTF-8 of the fields joined by U+001F, encoded into one pooled buffer rather than joined into a
    /// string first: a sync run hashes thousands of entries with whole profiles in them.
    /// </remarks>
    public string ComputeHash(string previousHash)
    {
        Span<char> ticks = stackalloc char[20];
        At.UtcTicks.TryFormat(ticks, out var ticksLength, default, CultureInfo.InvariantCulture);
        Span<char> organization = stackalloc char[32];
        OrganizationId.TryFormat(organization, out _, "N");
        ReadOnlySpan<char> actor = Actor, action = Action, targetType = TargetType, targetId = TargetId;
        ReadOnlySpan<char> before = Before, after = After, cause = Cause;
        var length = previousHash.Length + organization.Length + ticksLength + actor.Length + action.Length + targetType.Length +
                     targetId.Length + before.Length + after.Length + cause.Length + 9;
        var buffer = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(length));
        try
        {
            var written = 0;
            void Add(ReadOnlySpan<char> part, bool last = false)
            {
                written += Encoding.UTF8.GetBytes(part, buffer.AsSpan(written));
                if (!last)
                {
                    buffer[written++] = 0x1f;
                }
            }

            Add(previousHash);
            Add(organization);
            Add(ticks[..ticksLength]);
            Add(actor);
            Add(action);
            Add(targetType);
            Add(targetId);
            Add(before);
            Add(after);
            Add(cause, last: true);
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(buffer.AsSpan(0, written), hash);
            return Convert.ToHexStringLower(hash);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}

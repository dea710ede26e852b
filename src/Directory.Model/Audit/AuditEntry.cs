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
    public string ComputeHash(string previousHash)
    {
        var text = string.Join('\u001f',
            previousHash,
            OrganizationId.ToString("N"),
            At.UtcTicks.ToString(CultureInfo.InvariantCulture),
            Actor,
            Action,
            TargetType,
            TargetId,
            Before ?? "",
            After ?? "",
            Cause ?? "");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }
}

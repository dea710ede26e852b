using System.Text.Json;
using System.Text.Json.Serialization;
using ScimBridge.Model.Persistence;
using ScimBridge.Model.Users;

namespace ScimBridge.Model.Audit;

/// <summary>Adds audit entries to the current unit of work; hashes are chained when the unit of work is saved.</summary>
public sealed class AuditLog(ScimBridgeDbContext db, TimeProvider clock)
{
    internal static readonly JsonSerializerOptions SnapshotJson = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    public AuditEntry Record(
        Guid organizationId,
        AuditActor actor,
        string action,
        string targetType,
        string targetId,
        object? before = null,
        object? after = null,
        string? cause = null)
    {
        var entry = Create(organizationId, actor, action, targetType, targetId, before, after, cause);
        db.AuditEntries.Add(entry);
        return entry;
    }

    /// <summary>An entry not yet added to the unit of work, for bulk writers that insert and chain it themselves.</summary>
    public AuditEntry Create(
        Guid organizationId,
        AuditActor actor,
        string action,
        string targetType,
        string targetId,
        object? before = null,
        object? after = null,
        string? cause = null)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return new AuditEntry
        {
            OrganizationId = organizationId,
            // Microsecond precision is what every supported database stores; the hash must survive the round trip.
            At = TruncateToMicroseconds(clock.GetUtcNow()),
            Actor = actor.ToString(),
            Action = action,
            TargetType = targetType,
            TargetId = targetId,
            Before = Snapshot(before),
            After = Snapshot(after),
            Cause = cause,
        };
    }

    private static DateTimeOffset TruncateToMicroseconds(DateTimeOffset at) =>
        new(at.UtcTicks - (at.UtcTicks % 10), TimeSpan.Zero);

    /// <summary>
    /// <see cref="Snapshot"/> of <paramref name="before"/> and of the same profile with <see cref="UserProfile.Active"/>
    /// flipped, serialized once: an activation change audits whole profiles, thousands of them in a sync run. No property
    /// written ahead of <c>active</c> holds an <c>active</c> of its own, and string values escape their quotes, so the
    /// first <c>"active":</c> in the text is the profile's.
    /// </summary>
    public static (string Before, string After) ActivationSnapshots(UserProfile before)
    {
        ArgumentNullException.ThrowIfNull(before);
        var text = Snapshot(before)!;
        var (from, to) = before.Active ? ("\"active\":true", "\"active\":false") : ("\"active\":false", "\"active\":true");
        var at = text.IndexOf(from, StringComparison.Ordinal);
        return (text, at < 0
            ? Snapshot(before with { Active = !before.Active })!
            : string.Concat(text.AsSpan(0, at), to, text.AsSpan(at + from.Length)));
    }

    public static string? Snapshot(object? value) => value switch
    {
        null => null,
        string s => s,
        _ => JsonSerializer.Serialize(value, value.GetType(), SnapshotJson),
    };
}

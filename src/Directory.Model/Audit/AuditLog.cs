using System.Text.Json;
using System.Text.Json.Serialization;
using ScimBridge.Model.Persistence;

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

    public static string? Snapshot(object? value) => value switch
    {
        null => null,
        string s => s,
        _ => JsonSerializer.Serialize(value, value.GetType(), SnapshotJson),
    };
}

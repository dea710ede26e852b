namespace ScimBridge.Model.Teams;

/// <summary>A team of the platform: members with roles, phone numbers, API access. Soft-deleted, never removed.</summary>
public sealed class Team
{
    public Guid Id { get; set; } = EntityIds.New();
    public Guid OrganizationId { get; set; }

    public string Name { get; private set; } = "";
    public string NormalizedName { get; private set; } = "";

    /// <summary>Phone numbers the team may use for PSTN endpoints.</summary>
    public List<string> BaseNumbers { get; set; } = [];

    /// <summary>Media/server groups available to the team.</summary>
    public List<string> ServerGroups { get; set; } = [];

    public bool RecordingEnabled { get; set; }
    public bool SmsEnabled { get; set; } = true;

    /// <summary>Notification thresholds and recipients, as JSON.</summary>
    public string? NotificationsJson { get; set; }

    /// <summary>Allowed API scopes such as <c>CREATE_CALL_TOKEN</c>.</summary>
    public List<string> ApiScopes { get; set; } = [];
    public int MaxApiKeys { get; set; } = 2;

    /// <summary>Daily request limit; null means unlimited.</summary>
    public int? MaxRequestsPerDay { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? DeletedAt { get; set; }

    /// <summary>Who made the team: an admin, or a mapping file that creates missing teams.</summary>
    public string CreatedBy { get; set; } = "";

    /// <summary>Moves with every change; a concurrency token, so a save that read an older version loses and starts over.</summary>
    public int Version { get; set; } = 1;

    public bool IsActive => DeletedAt is null;

    public static string Normalize(string name) => name.Trim().ToUpperInvariant();

    public void Rename(string name)
    {
        Name = name.Trim();
        NormalizedName = Normalize(name);
    }
}

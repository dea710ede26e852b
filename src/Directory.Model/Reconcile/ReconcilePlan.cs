using System.Globalization;
using ScimBridge.Model.Users;

namespace ScimBridge.Model.Reconcile;

/// <summary>
/// Every change one run would make, with reasons. Pure data: the planner fills it, the guard judges it, the applier
/// writes it, and a dry run prints it with <see cref="WriteDiffAsync"/>.
/// </summary>
public sealed class ReconcilePlan
{
    public required string Source { get; init; }
    public required bool IsFull { get; init; }

    /// <summary>Users in the snapshot (all of them for a full read).</summary>
    public int UsersRead { get; init; }

    /// <summary>How many users the source has in scope when an incremental read knows it (null otherwise).</summary>
    public int? UsersInScope { get; init; }

    /// <summary>Active users the source managed before the run: the base of the deactivation threshold.</summary>
    public int ManagedActiveUsers { get; init; }

    public List<UserCreate> Creates { get; } = [];
    public List<UserUpdate> Updates { get; } = [];
    public List<UserDeactivation> Deactivations { get; } = [];
    public List<UserReactivation> Reactivations { get; } = [];
    public List<GroupCreate> GroupCreates { get; } = [];
    public List<GroupUpdate> GroupUpdates { get; } = [];
    public List<GroupDeletion> GroupDeletions { get; } = [];
    public List<MemberChange> MemberAdds { get; } = [];
    public List<MemberChange> MemberRemoves { get; } = [];

    /// <summary>Users or groups skipped, e.g. a userName already held by a SCIM or hand-made user.</summary>
    public List<string> Errors { get; } = [];

    public int GroupsChanged => GroupCreates.Count + GroupUpdates.Count + GroupDeletions.Count;
    public int MembershipsChanged => MemberAdds.Count + MemberRemoves.Count;

    public bool IsEmpty => Creates.Count + Updates.Count + Deactivations.Count + Reactivations.Count + GroupsChanged + MembershipsChanged == 0;

    /// <summary>One line per change (<c>+</c> create, <c>~</c> update, <c>-</c> deactivate or delete, <c>^</c> reactivate).</summary>
    public async Task WriteDiffAsync(TextWriter output, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(output);
        var userNames = Creates.ToDictionary(c => c.Id, c => c.Profile.UserName);
        var groupNames = GroupCreates.ToDictionary(g => g.Id, g => g.DisplayName);
        foreach (var line in Lines(userNames, groupNames))
        {
            ct.ThrowIfCancellationRequested();
            await output.WriteLineAsync(line);
        }
    }

    private IEnumerable<string> Lines(Dictionary<Guid, string> userNames, Dictionary<Guid, string> groupNames)
    {
        foreach (var c in Creates)
        {
            yield return $"+ user {c.Profile.UserName} [{c.SourceKey}]{(c.Enabled ? "" : " (disabled)")}";
        }
        foreach (var u in Updates)
        {
            yield return $"~ user {u.After.UserName} [{u.SourceKey}]: {string.Join(", ", UserUpdate.ChangedFields(u.Before, u.After))}";
        }
        foreach (var d in Deactivations)
        {
            yield return $"- user {d.UserName} [{d.SourceKey}] deactivated: {d.Reason}";
        }
        foreach (var r in Reactivations)
        {
            yield return $"^ user {r.UserName} [{r.SourceKey}] reactivated";
        }
        foreach (var g in GroupCreates)
        {
            yield return $"+ group {g.DisplayName} [{g.SourceKey}]";
        }
        foreach (var g in GroupUpdates)
        {
            yield return g.Restore ? $"^ group {g.DisplayName} [{g.SourceKey}] restored" : $"~ group {g.PreviousName} -> {g.DisplayName} [{g.SourceKey}]";
        }
        foreach (var g in GroupDeletions)
        {
            yield return $"- group {g.DisplayName} [{g.SourceKey}] deleted";
        }
        foreach (var m in MemberAdds)
        {
            yield return $"+ member {(m.IsGroup ? "group " : "")}{Name(m, userNames, groupNames)} of group {m.GroupName}";
        }
        foreach (var m in MemberRemoves)
        {
            yield return $"- member {(m.IsGroup ? "group " : "")}{Name(m, userNames, groupNames)} of group {m.GroupName}";
        }
        foreach (var e in Errors)
        {
            yield return $"! {e}";
        }
    }

    private static string Name(MemberChange m, Dictionary<Guid, string> users, Dictionary<Guid, string> groups) =>
        m.MemberName ?? (m.IsGroup ? groups : users).GetValueOrDefault(m.MemberId) ?? m.MemberId.ToString("D", CultureInfo.InvariantCulture);
}

/// <summary>A user to create with the id the planner chose (so memberships can name it).</summary>
public sealed record UserCreate(Guid Id, string SourceKey, UserProfile Profile, bool Enabled, string? Fingerprint = null);

/// <summary>New attributes for a user (activation is planned separately). <see cref="Before"/> is null when it was not loaded.</summary>
public sealed record UserUpdate(Guid Id, string SourceKey, UserProfile? Before, UserProfile After, string? Fingerprint = null)
{
    /// <summary>Names of the attributes that differ, for the diff.</summary>
    public static IEnumerable<string> ChangedFields(UserProfile? before, UserProfile after)
    {
        ArgumentNullException.ThrowIfNull(after);
        if (before is null)
        {
            yield return "profile";
            yield break;
        }
        if (before.UserName != after.UserName)
        {
            yield return $"userName {before.UserName} -> {after.UserName}";
        }
        if (before.PrimaryEmail != after.PrimaryEmail)
        {
            yield return $"email {before.PrimaryEmail} -> {after.PrimaryEmail}";
        }
        if (before.DisplayName != after.DisplayName)
        {
            yield return $"displayName {before.DisplayName} -> {after.DisplayName}";
        }
        if (before.Name != after.Name)
        {
            yield return "name";
        }
        if (!before.PhoneNumbers.SequenceEqual(after.PhoneNumbers))
        {
            yield return "phoneNumbers";
        }
        if (before.Enterprise != after.Enterprise || before.Platform != after.Platform)
        {
            yield return "enterprise/platform attributes";
        }
        if (before.Title != after.Title || before.PreferredLanguage != after.PreferredLanguage || before.UserType != after.UserType
            || before.ExternalId != after.ExternalId || before.Locale != after.Locale || before.TimeZone != after.TimeZone
            || before.NickName != after.NickName || before.ProfileUrl != after.ProfileUrl || !before.Addresses.SequenceEqual(after.Addresses)
            || !before.Emails.SequenceEqual(after.Emails) && before.PrimaryEmail == after.PrimaryEmail)
        {
            yield return "other attributes";
        }
    }
}

/// <summary>Why a run deactivates a user.</summary>
public enum DeactivationReason
{
    /// <summary>Not in a complete (full) read of the source.</summary>
    AbsentFromFullRead,

    /// <summary>Disabled in the source (AD userAccountControl, Entra accountEnabled=false).</summary>
    DisabledInSource,

    /// <summary>Reported deleted by an incremental read.</summary>
    RemovedFromSource,

    /// <summary>Missing from the complete list of user ids an incremental read took: deleted, or moved out of the base DN or filter.</summary>
    LeftScope,
}

public sealed record UserDeactivation(Guid Id, string SourceKey, string UserName, DeactivationReason Reason);

public sealed record UserReactivation(Guid Id, string SourceKey, string UserName);

public sealed record GroupCreate(Guid Id, string SourceKey, string DisplayName, string? DistinguishedName);

/// <summary>A rename (or new DN) of a group, or its restore when it came back after being deleted.</summary>
public sealed record GroupUpdate(Guid Id, string SourceKey, string PreviousName, string DisplayName, string? DistinguishedName, bool Restore);

public sealed record GroupDeletion(Guid Id, string SourceKey, string DisplayName);

/// <summary>
/// A member added to or removed from a group. <see cref="MemberName"/> is for the diff only. A value, not an object: a
/// first sync of a dense directory plans over a million of them.
/// </summary>
public readonly record struct MemberChange(Guid GroupId, string GroupName, Guid MemberId, bool IsGroup, string? MemberName = null);

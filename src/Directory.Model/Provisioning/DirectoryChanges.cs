namespace ScimBridge.Model.Provisioning;

/// <summary>
/// What a provisioning operation changed that derived team memberships depend on: users whose own groups or
/// activation changed, and groups whose every user below may now map differently (renamed, deleted, nested members).
/// Operations return it; <see cref="MembershipProvisioning.RecomputeAsync"/> follows from it.
/// </summary>
public sealed class DirectoryChanges
{
    public HashSet<Guid> Users { get; } = [];
    public HashSet<Guid> Groups { get; } = [];

    public bool IsEmpty => Users.Count == 0 && Groups.Count == 0;

    public static DirectoryChanges None => new();

    public static DirectoryChanges OfUsers(IEnumerable<Guid> users)
    {
        var changes = new DirectoryChanges();
        changes.Users.UnionWith(users);
        return changes;
    }

    public static DirectoryChanges OfGroups(IEnumerable<Guid> groups)
    {
        var changes = new DirectoryChanges();
        changes.Groups.UnionWith(groups);
        return changes;
    }

    /// <summary>Adds what <paramref name="other"/> changed to this; returns this.</summary>
    public DirectoryChanges Add(DirectoryChanges other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Users.UnionWith(other.Users);
        Groups.UnionWith(other.Groups);
        return this;
    }
}

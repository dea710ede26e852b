using ScimBridge.Model.Reconcile;
using ScimBridge.Model.Users;

namespace ScimBridge.Sync.Tests.Reconcile;

/// <summary>Builders for planner inputs: source users keyed "k1", "k2", … with userName "userN@example.org".</summary>
internal static class PlannerData
{
    public const string Source = "corp";

    public static SourceUser Incoming(int n, bool enabled = true, string? userName = null, string? email = null) =>
        new($"k{n}", Profile(n, userName, email), enabled);

    public static UserProfile Profile(int n, string? userName = null, string? email = null, bool active = true) => new()
    {
        UserName = userName ?? $"user{n}@example.org",
        DisplayName = $"User {n}",
        Name = new PersonName($"User", $"{n}"),
        Emails = [new EmailAddress(email ?? userName ?? $"user{n}@example.org", "work", Primary: true)],
        Active = active,
    };

    public static ManagedUser Stored(int n, bool active = true, string? deactivatedBy = null) =>
        ManagedUser.WithProfile(Id(n), $"k{n}", Profile(n, active: active), active ? null : deactivatedBy);

    public static Guid Id(int n) => new($"00000000-0000-0000-0000-{n:D12}");

    public static DirectorySnapshot Full(params SourceUser[] users) => new() { IsFull = true, Users = users };

    public static ReconcileState State(params ManagedUser[] users) => new() { Users = users };

    public static ReconcileState StoredRange(int count) => State([.. Enumerable.Range(1, count).Select(n => Stored(n))]);

    public static SourceUser[] IncomingRange(int count) => [.. Enumerable.Range(1, count).Select(n => Incoming(n))];
}

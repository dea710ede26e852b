using ScimBridge.Model.Reconcile;
using static ScimBridge.Sync.Tests.Reconcile.PlannerData;

namespace ScimBridge.Sync.Tests.Reconcile;

public sealed class DeactivationGuardTests
{
    private static readonly DeactivationPolicy Default = new();

    [Fact]
    public void Empty_full_read_is_refused()
    {
        var plan = ReconcilePlanner.Plan(Source, Full(), StoredRange(20));

        var verdict = DeactivationGuard.Check(plan, Default, force: false);

        Assert.False(verdict.Allowed);
        Assert.Contains("returned no users", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Deactivating_more_than_ten_percent_is_refused_and_force_allows_it()
    {
        // 100 users, 11 gone: above the 10% limit of 10.
        var plan = ReconcilePlanner.Plan(Source, Full(IncomingRange(89)), StoredRange(100));

        Assert.Equal(11, plan.Deactivations.Count);
        var refused = DeactivationGuard.Check(plan, Default, force: false);
        Assert.False(refused.Allowed);
        Assert.Contains("11 of 100", refused.Reason, StringComparison.Ordinal);
        Assert.True(DeactivationGuard.Check(plan, Default, force: true).Allowed);
    }

    [Fact]
    public void Exactly_at_the_limit_is_allowed()
    {
        var plan = ReconcilePlanner.Plan(Source, Full(IncomingRange(90)), StoredRange(100));

        Assert.True(DeactivationGuard.Check(plan, Default, force: false).Allowed);
    }

    [Fact]
    public void Absolute_count_limit_applies_when_smaller_than_the_percentage()
    {
        var plan = ReconcilePlanner.Plan(Source, Full(IncomingRange(994)), StoredRange(1000));

        Assert.Equal(6, plan.Deactivations.Count);
        Assert.False(DeactivationGuard.Check(plan, new DeactivationPolicy(ThresholdPercent: 10, ThresholdCount: 5), force: false).Allowed);
    }

    [Fact]
    public void Disabled_users_count_towards_the_limit()
    {
        var incoming = Enumerable.Range(1, 100).Select(n => Incoming(n, enabled: n > 20)).ToArray();

        var plan = ReconcilePlanner.Plan(Source, Full(incoming), StoredRange(100));

        Assert.False(DeactivationGuard.Check(plan, Default, force: false).Allowed);
    }
}

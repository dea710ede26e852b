namespace ScimBridge.Model.Reconcile;

/// <summary>How many deactivations one run may make before it needs an admin's <c>--force</c>.</summary>
/// <param name="ThresholdPercent">Share of the source's active users (default 10).</param>
/// <param name="ThresholdCount">Absolute ceiling (default 500); the smaller of the two limits applies.</param>
public sealed record DeactivationPolicy(double ThresholdPercent = 10, int ThresholdCount = 500)
{
    /// <summary>The most deactivations allowed when the source manages <paramref name="activeUsers"/> active users.</summary>
    public int Limit(int activeUsers) => Math.Min((int)Math.Floor(activeUsers * ThresholdPercent / 100), ThresholdCount);
}

/// <summary>The guard's answer: go ahead, or stop the whole run with a reason an admin can act on.</summary>
public sealed record GuardVerdict(bool Allowed, string? Reason)
{
    public static readonly GuardVerdict Allow = new(true, null);

    public static GuardVerdict Refuse(string reason) => new(false, reason);
}

/// <summary>
/// Stops a run before it writes anything when its read looks wrong: a full read with no users, or more deactivations
/// than the policy allows (disabled users count too). An admin can force one run past both checks; a failed read
/// never gets this far.
/// </summary>
public static class DeactivationGuard
{
    public static GuardVerdict Check(ReconcilePlan plan, DeactivationPolicy policy, bool force)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(policy);
        if (force)
        {
            return GuardVerdict.Allow;
        }
        if (plan.IsFull && plan.UsersRead == 0)
        {
            return GuardVerdict.Refuse(
                $"the full read of '{plan.Source}' returned no users; nothing was changed (check the source's base DN, filter or "
                + "permissions; if the directory really is empty, run once with --force)");
        }

        if (plan.UsersInScope == 0 && plan.ManagedActiveUsers > 0)
        {
            return GuardVerdict.Refuse(
                $"the read of '{plan.Source}' found no users in scope; nothing was changed (check the source's base DN, filter or "
                + "permissions; if the directory really is empty, run once with --force)");
        }

        var limit = policy.Limit(plan.ManagedActiveUsers);
        if (plan.Deactivations.Count > limit)
        {
            return GuardVerdict.Refuse(
                $"the run would deactivate {plan.Deactivations.Count} of {plan.ManagedActiveUsers} active users, more than the limit of {limit} "
                + $"(the smaller of {policy.ThresholdPercent.ToString(System.Globalization.CultureInfo.InvariantCulture)}% and {policy.ThresholdCount}); "
                + "nothing was changed. Check with --dry-run, then run once with --force if the departures are real");
        }
        return GuardVerdict.Allow;
    }
}

using ScimBridge.Model.Reconcile;
using static ScimBridge.Sync.Tests.Reconcile.PlannerData;

namespace ScimBridge.Sync.Tests.Reconcile;

public sealed class ReconcilePlannerTests
{
    [Fact]
    public void Full_read_of_new_users_creates_them_and_nothing_else()
    {
        var plan = ReconcilePlanner.Plan(Source, Full(IncomingRange(3)), State());

        Assert.Equal(["k1", "k2", "k3"], plan.Creates.Select(c => c.SourceKey));
        Assert.Empty(plan.Updates);
        Assert.Empty(plan.Deactivations);
    }

    [Fact]
    public void Same_data_again_plans_no_change()
    {
        var plan = ReconcilePlanner.Plan(Source, Full(IncomingRange(5)), StoredRange(5));

        Assert.True(plan.IsEmpty);
    }

    [Fact]
    public void Rename_and_email_case_change_are_updates_of_the_same_user()
    {
        var renamed = Incoming(1, userName: "first.last@example.org");
        var recased = Incoming(2, email: "USER2@Example.org");

        var plan = ReconcilePlanner.Plan(Source, Full(renamed, recased), StoredRange(2));

        Assert.Empty(plan.Creates);
        Assert.Equal([Id(1), Id(2)], plan.Updates.Select(u => u.Id));
        Assert.Equal("first.last@example.org", plan.Updates[0].After.UserName);
        Assert.Equal("USER2@Example.org", plan.Updates[1].After.PrimaryEmail);
    }

    [Fact]
    public void User_missing_from_a_full_read_is_deactivated_but_not_from_a_delta()
    {
        var full = ReconcilePlanner.Plan(Source, Full(IncomingRange(9)), StoredRange(10));
        var delta = ReconcilePlanner.Plan(Source, new DirectorySnapshot { IsFull = false, Users = [Incoming(1)] }, StoredRange(10));

        var gone = Assert.Single(full.Deactivations);
        Assert.Equal((Id(10), DeactivationReason.AbsentFromFullRead), (gone.Id, gone.Reason));
        Assert.Empty(delta.Deactivations);
    }

    [Fact]
    public void Delta_deactivates_only_the_users_it_reports_removed()
    {
        var delta = new DirectorySnapshot { IsFull = false, RemovedUserKeys = ["k3", "unknown"] };

        var plan = ReconcilePlanner.Plan(Source, delta, StoredRange(5));

        var removed = Assert.Single(plan.Deactivations);
        Assert.Equal((Id(3), DeactivationReason.RemovedFromSource), (removed.Id, removed.Reason));
    }

    [Fact]
    public void Disabled_in_source_deactivates_and_enabled_again_reactivates_only_what_the_source_deactivated()
    {
        var state = State(Stored(1), Stored(2, active: false, deactivatedBy: Source), Stored(3, active: false, deactivatedBy: null));

        var plan = ReconcilePlanner.Plan(Source, Full(Incoming(1, enabled: false), Incoming(2), Incoming(3)), state);

        Assert.Equal((Id(1), DeactivationReason.DisabledInSource), (plan.Deactivations.Single().Id, plan.Deactivations.Single().Reason));
        // User 3 was deactivated by an admin: the source coming back does not overrule that.
        Assert.Equal([Id(2)], plan.Reactivations.Select(r => r.Id));
    }

    [Fact]
    public void UserName_held_by_a_scim_user_is_an_error_not_a_takeover()
    {
        var state = StoredRange(1) with { OtherUserNames = new Dictionary<string, string> { ["TAKEN@EXAMPLE.ORG"] = "scim" } };

        var plan = ReconcilePlanner.Plan(Source, Full(Incoming(1, userName: "taken@example.org"), Incoming(2, userName: "Taken@Example.org")), state);

        Assert.Empty(plan.Creates);
        Assert.Empty(plan.Updates);
        Assert.Equal(2, plan.Errors.Count);
        Assert.All(plan.Errors, e => Assert.Contains("managed by 'scim'", e, StringComparison.Ordinal));
    }

    [Fact]
    public void Two_users_swapping_names_is_not_a_collision()
    {
        var plan = ReconcilePlanner.Plan(Source, Full(Incoming(1, userName: "user2@example.org"), Incoming(2, userName: "user1@example.org")), StoredRange(2));

        Assert.Empty(plan.Errors);
        Assert.Equal(2, plan.Updates.Count);
    }

    [Fact]
    public void Invalid_email_skips_that_user_with_an_error()
    {
        var plan = ReconcilePlanner.Plan(Source, Full(Incoming(1, email: "not an address")), State());

        Assert.Empty(plan.Creates);
        Assert.Contains("not a valid e-mail address", Assert.Single(plan.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Groups_are_created_with_members_renamed_and_deleted_when_gone()
    {
        var state = StoredRange(3) with
        {
            Groups = [new ManagedGroup(Id(100), "g-old", "Old", null, false), new ManagedGroup(Id(101), "g-sales", "Sales", null, false)],
            Members = [new ManagedMember(Id(101), Id(1), false), new ManagedMember(Id(101), Id(2), false)],
        };
        var snapshot = Full(IncomingRange(3)) with
        {
            Groups =
            [
                new SourceGroup("g-sales", "Sales EMEA") { MemberUserKeys = ["k2", "k3"] },
                new SourceGroup("g-new", "Support") { MemberUserKeys = ["k1", "not-in-scope"], MemberGroupKeys = ["g-sales"] },
            ],
        };

        var plan = ReconcilePlanner.Plan(Source, snapshot, state);

        var created = Assert.Single(plan.GroupCreates);
        Assert.Equal("Support", created.DisplayName);
        Assert.Equal("Sales EMEA", Assert.Single(plan.GroupUpdates).DisplayName);
        Assert.Equal(Id(100), Assert.Single(plan.GroupDeletions).Id);
        Assert.Equivalent(new[] { (Id(101), Id(3), false), (created.Id, Id(1), false), (created.Id, Id(101), true) },
            plan.MemberAdds.Select(m => (m.GroupId, m.MemberId, m.IsGroup)));
        Assert.Equal([(Id(101), Id(1))], plan.MemberRemoves.Select(m => (m.GroupId, m.MemberId)));
    }

    [Fact]
    public void Delta_group_changes_add_and_remove_only_the_named_members()
    {
        var state = StoredRange(3) with
        {
            Groups = [new ManagedGroup(Id(100), "g", "Team", null, false)],
            Members = [new ManagedMember(Id(100), Id(1), false), new ManagedMember(Id(100), Id(2), false)],
        };
        var delta = new DirectorySnapshot
        {
            IsFull = false,
            Groups = [new SourceGroup("g", "Team") { MembersAreComplete = false, AddedMemberKeys = ["k3"], RemovedMemberKeys = ["k1"] }],
        };

        var plan = ReconcilePlanner.Plan(Source, delta, state);

        Assert.Equal([Id(3)], plan.MemberAdds.Select(m => m.MemberId));
        Assert.Equal([Id(1)], plan.MemberRemoves.Select(m => m.MemberId));
        Assert.Empty(plan.GroupDeletions);
    }
    [Fact]
    public void Large_changed_groups_of_an_incremental_read_are_compared_member_by_member_like_small_ones()
    {
        const int users = 40_000;
        var groups = Enumerable.Range(0, 4).Select(g => new ManagedGroup(Id(100_000 + g), $"g{g}", $"Group {g}", null, false)).ToList();
        // Group g holds the users n with n % 4 == g and, for groups 0 and 1, every user up to 10,000: 55,000 stored rows.
        bool In(int g, int n) => n % 4 == g || (g < 2 && n <= 10_000);
        var members = new List<ManagedMember>();
        for (var g = 0; g < 4; g++)
        {
            members.AddRange(Enumerable.Range(1, users).Where(n => In(g, n)).Select(n => new ManagedMember(groups[g].Id, Id(n), false)));
        }
        var state = StoredRange(users) with { Groups = groups, Members = members };
        // Groups 0 to 2 come back whole, each without its first five members and with those of users 39,991 to 39,995 it
        // lacked; group 3 did not change. User 2, among the first five of groups 0 to 2, has left the source.
        List<string> Wanted(int g) =>
            [.. Enumerable.Range(1, users).Where(n => In(g, n)).Skip(5).Concat(Enumerable.Range(39_991, 5).Where(n => !In(g, n))).Select(n => $"k{n}")];
        var delta = new DirectorySnapshot
        {
            IsFull = false,
            Groups = [.. Enumerable.Range(0, 3).Select(g => new SourceGroup($"g{g}", $"Group {g}") { MemberUserKeys = Wanted(g) })],
            UserKeysInScope = Enumerable.Range(1, users).Where(n => n != 2).Select(n => $"k{n}").ToHashSet(),
        };

        var plan = ReconcilePlanner.Plan(Source, delta, state);

        var expectedAdds = Enumerable.Range(0, 3).SelectMany(g => Enumerable.Range(39_991, 5).Where(n => !In(g, n)).Select(n => (groups[g].Id, Id(n))));
        var expectedRemoves = Enumerable.Range(0, 3).SelectMany(g => Enumerable.Range(1, users).Where(n => In(g, n)).Take(5).Select(n => (groups[g].Id, Id(n))));
        Assert.Equal(expectedAdds.Order(), plan.MemberAdds.Select(m => (m.GroupId, m.MemberId)).Order());
        Assert.Equal(expectedRemoves.Order(), plan.MemberRemoves.Select(m => (m.GroupId, m.MemberId)).Order());
        // One group after the other, in the order the read returned them, each change named for the diff.
        Assert.Equal(plan.MemberRemoves.Select(m => m.GroupId).Distinct(), groups.Take(3).Select(g => g.Id));
        Assert.All(plan.MemberRemoves, m => Assert.Equal($"user{long.Parse(m.MemberId.ToString()[^12..])}@example.org", m.MemberName));
        Assert.Equal(Id(2), Assert.Single(plan.Deactivations).Id);
    }
}

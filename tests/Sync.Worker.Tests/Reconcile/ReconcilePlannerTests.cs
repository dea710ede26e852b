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
}

using ScimBridge.Sync.Sources.Ldap;
using ScimBridge.Model.Users;

namespace ScimBridge.Sync.Tests.Ldap;

[Collection(SlapdCollection.Name)]
public sealed class LdapSourceReadTests(SlapdFixture slapd)
{
    [Fact]
    public async Task Full_read_maps_inetOrgPerson_attributes_and_keys_users_by_entryUUID()
    {
        var tree = slapd.NewTree();
        var adele = tree.AddUser("adele", "Adele", "Vance", mail: "Adele.Vance@example.org", phone: "+1 425 555 0109", employeeNumber: "1001");
        tree.AddUser("alex", "Alex", "Wilber");

        var snapshot = await tree.Source().ReadAsync(null, CancellationToken.None);

        Assert.True(snapshot.IsFull);
        Assert.Equal(["adele", "alex"], snapshot.Users.Select(u => u.Profile.UserName).Order());
        var user = snapshot.Users.Single(u => u.Profile.UserName == "adele");
        Assert.Equal(tree.UuidOf(adele), user.Key);
        Assert.Equal(user.Key, user.Profile.ExternalId);
        Assert.True(user.Enabled);
        Assert.Equal(new PersonName("Adele", "Vance"), user.Profile.Name);
        Assert.Equal("Adele Vance", user.Profile.DisplayName);
        Assert.Equal([new EmailAddress("Adele.Vance@example.org", "work", true)], user.Profile.Emails);
        Assert.Equal([new PhoneNumber("+1 425 555 0109", "work")], user.Profile.PhoneNumbers);
        Assert.Equal("1001", user.Profile.Enterprise.EmployeeNumber);
    }

    [Fact]
    public async Task Group_members_are_resolved_to_user_keys_and_nested_groups_to_group_keys()
    {
        var tree = slapd.NewTree();
        var adele = tree.AddUser("adele");
        var alex = tree.AddUser("alex");
        var support = tree.AddGroup("support", alex);
        var sales = tree.AddGroup("sales", adele, support, "uid=outsider,ou=elsewhere,dc=example,dc=org");

        var snapshot = await tree.Source().ReadAsync(null, CancellationToken.None);

        var salesGroup = snapshot.Groups.Single(g => g.DisplayName == "sales");
        Assert.Equal(tree.UuidOf(sales), salesGroup.Key);
        Assert.Equal(sales, salesGroup.DistinguishedName);
        Assert.Equal([tree.UuidOf(adele)], salesGroup.MemberUserKeys);
        Assert.Equal([tree.UuidOf(support)], salesGroup.MemberGroupKeys);
        Assert.Equal([tree.UuidOf(alex)], snapshot.Groups.Single(g => g.DisplayName == "support").MemberUserKeys);
    }

    [Fact]
    public async Task Users_and_a_group_larger_than_one_page_are_read_completely()
    {
        var tree = slapd.NewTree();
        var members = Enumerable.Range(1, 120).Select(i => tree.AddUser($"user{i:000}")).ToArray();
        for (var i = 121; i <= 160; i++)
        {
            tree.AddUser($"user{i:000}");
        }
        tree.AddGroup("everyone", members);

        var snapshot = await tree.Source(s => s.PageSize = 50).ReadAsync(null, CancellationToken.None);

        Assert.Equal(160, snapshot.Users.Select(u => u.Key).Distinct().Count());
        Assert.Equal(120, snapshot.Groups.Single().MemberUserKeys.Count);
    }

    [Fact]
    public async Task Users_matching_the_disabled_filter_are_read_as_disabled()
    {
        var tree = slapd.NewTree();
        tree.AddUser("adele");
        var alex = tree.AddUser("alex");
        tree.Server.Replace(alex, "description", "disabled");

        var snapshot = await tree.Source(s => s.DisabledFilter = "(description=disabled)").ReadAsync(null, CancellationToken.None);

        Assert.True(snapshot.Users.Single(u => u.Profile.UserName == "adele").Enabled);
        var disabled = snapshot.Users.Single(u => u.Profile.UserName == "alex");
        Assert.False(disabled.Enabled);
        Assert.False(disabled.Profile.Active);
    }

    [Fact]
    public async Task Incremental_read_returns_only_changed_entries_with_complete_member_lists_and_is_not_full()
    {
        var tree = slapd.NewTree();
        var adele = tree.AddUser("adele");
        var alex = tree.AddUser("alex");
        tree.AddGroup("sales", adele);
        // modifyTimestamp has one-second resolution and a read includes its cursor's second: "zed", the latest
        // entry of the first read, is read again; adele, alex and sales are older and are not.
        await NextSecondAfterAsync(tree, tree.GroupDn("sales"));
        var zed = tree.AddUser("zed");
        var source = tree.Source(s => s.IncrementalOverlapSeconds = 0);
        var first = await source.ReadAsync(null, CancellationToken.None);
        Assert.NotNull(first.NextDeltaState);

        await NextSecondAfterAsync(tree, zed);
        tree.Server.Replace(alex, "givenName", "Alexander");
        tree.Server.AddValues(tree.GroupDn("sales"), "member", alex);
        tree.AddUser("late");
        var second = await source.ReadAsync(first.NextDeltaState, CancellationToken.None);

        Assert.False(second.IsFull);
        Assert.Equal(["alex", "late", "zed"], second.Users.Select(u => u.Profile.UserName).Order());
        Assert.Equal("Alexander", second.Users.Single(u => u.Profile.UserName == "alex").Profile.Name.GivenName);
        var sales = Assert.Single(second.Groups);
        // adele did not change, yet her key is resolved from her DN.
        Assert.Equal(new[] { tree.UuidOf(adele), tree.UuidOf(alex) }.Order(), sales.MemberUserKeys.Order());
        Assert.NotEqual(first.NextDeltaState, second.NextDeltaState);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task An_incremental_read_learns_every_id_in_scope_across_pages_through_libldap_or_the_library_responses(bool libldap)
    {
        LibLdapSearch.LibraryResponsesOnly.Value = !libldap;
        var tree = slapd.NewTree();
        var dns = Enumerable.Range(1, 130).Select(i => tree.AddUser($"user{i:000}")).ToList();
        tree.AddGroup("everyone", [.. dns]);
        var source = tree.Source(s =>
        {
            s.PageSize = 50;
            s.IncrementalOverlapSeconds = 0;
            s.DisabledFilter = "(description=disabled)";
        });
        // The cursor's own second is read again: "zed", the latest entry, is; the others are older.
        await NextSecondAfterAsync(tree, tree.GroupDn("everyone"));
        var zed = tree.AddUser("zed");
        var first = await source.ReadAsync(null, CancellationToken.None);
        await NextSecondAfterAsync(tree, zed);
        foreach (var dn in dns.Take(2))
        {
            tree.Server.Delete(dn);
        }
        tree.Server.Replace(dns[2], "description", "disabled");
        tree.Server.RemoveValues(tree.GroupDn("everyone"), "member", dns[3]);

        var second = await source.ReadAsync(first.NextDeltaState, CancellationToken.None);

        Assert.False(second.IsFull);
        Assert.Equal(dns.Skip(2).Append(zed).Select(tree.UuidOf).Order(), second.UserKeysInScope!.Order());
        Assert.Equal(new[] { (tree.UuidOf(dns[2]), false), (tree.UuidOf(zed), true) }.Order(), second.Users.Select(u => (u.Key, u.Enabled)).Order());
        Assert.Equal(dns.Skip(2).Where(dn => dn != dns[3]).Select(tree.UuidOf).Order(), Assert.Single(second.Groups).MemberUserKeys.Order());
    }

    [Fact]
    public async Task A_changed_scope_makes_the_stored_cursor_useless_and_the_read_full()
    {
        var tree = slapd.NewTree();
        tree.AddUser("adele");
        var first = await tree.Source().ReadAsync(null, CancellationToken.None);

        var narrowed = await tree.Source(s => s.UserFilter = "(uid=a*)").ReadAsync(first.NextDeltaState, CancellationToken.None);

        Assert.True(narrowed.IsFull);
        Assert.Single(narrowed.Users);
    }

    [Fact]
    public async Task Without_incremental_reads_every_read_is_full_and_carries_no_cursor()
    {
        var tree = slapd.NewTree();
        tree.AddUser("adele");

        var snapshot = await tree.Source(s => s.Incremental = false).ReadAsync("ldap-v1;modifyTimestamp;x;20260101000000Z", CancellationToken.None);

        Assert.True(snapshot.IsFull);
        Assert.Null(snapshot.NextDeltaState);
    }

    /// <summary>Waits until the clock (slapd's is this machine's) is past the second of the entry's modifyTimestamp.</summary>
    private static async Task NextSecondAfterAsync(LdapTree tree, string dn)
    {
        var stamp = DateTimeOffset.ParseExact(tree.Server.Read(dn, "modifyTimestamp")!, "yyyyMMddHHmmss'Z'",
            System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal);
        await Poll.UntilAsync(() => TimeProvider.System.GetUtcNow() >= stamp.AddSeconds(1), "the next second of the directory's clock");
    }
}

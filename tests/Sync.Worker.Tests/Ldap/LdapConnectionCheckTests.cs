using ScimBridge.Model.Reconcile;

namespace ScimBridge.Sync.Tests.Ldap;

/// <summary>The console's "Test connection" for LDAP: bind, count the users below the base DN and filter, read nothing else.</summary>
[Collection(SlapdCollection.Name)]
public sealed class LdapConnectionCheckTests(SlapdFixture slapd)
{
    [Fact]
    public async Task Test_connection_binds_and_counts_the_users_the_filter_selects()
    {
        var tree = slapd.NewTree();
        tree.AddUser("adele");
        tree.AddUser("alex");
        tree.AddUser("diego");
        tree.AddGroup("sales", tree.UserDn("adele"));

        var all = await tree.Source().CheckConnectionAsync(CancellationToken.None);
        var filtered = await tree.Source(s => s.UserFilter = "(&(objectClass=inetOrgPerson)(uid=a*))").CheckConnectionAsync(CancellationToken.None);

        Assert.Equal(3, all.UsersInScope);
        Assert.Contains($"bound to {slapd.Server.Url} as {SlapdServer.AdminDn}", all.Detail, StringComparison.Ordinal);
        Assert.Equal(2, filtered.UsersInScope);
    }

    [Fact]
    public async Task Test_connection_with_a_wrong_password_says_the_bind_was_refused()
    {
        var tree = slapd.NewTree();

        var error = await Assert.ThrowsAsync<DirectoryReadException>(
            () => tree.Source(s => s.Password = "Not-The-Secret-42").CheckConnectionAsync(CancellationToken.None));

        Assert.Contains($"LDAP source 'corp-ldap' at {slapd.Server.Url}", error.Message, StringComparison.Ordinal);
        Assert.Contains("wrong BindDn or password", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Not-The-Secret-42", error.Message, StringComparison.Ordinal);
    }
}

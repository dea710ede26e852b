using Microsoft.Extensions.Logging.Abstractions;
using ScimBridge.Model.Reconcile;
using ScimBridge.Sync.Sources.Ldap;

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

    [Fact]
    public async Task Test_connection_with_Active_Directory_departures_tries_the_change_read_and_says_when_it_is_refused()
    {
        var tree = slapd.NewTree();
        tree.AddUser("adele");
        var deletedObjects = new FakeActiveDirectory();
        var refusing = new FakeActiveDirectory { Refusal = "the server answered InsufficientAccessRights: 00002105: LdapErr: DSID-0C0904A1" };

        var deleted = await Source(tree, "DeletedObjects", deletedObjects).CheckConnectionAsync(CancellationToken.None);
        var error = await Assert.ThrowsAsync<DirectoryReadException>(
            () => Source(tree, "DirSync", refusing).CheckConnectionAsync(CancellationToken.None));

        Assert.EndsWith($"; deleted objects of {FakeActiveDirectory.Domain} can be searched", deleted.Detail, StringComparison.Ordinal);
        Assert.StartsWith($"deleted {FakeActiveDirectory.Domain} ", Assert.Single(deletedObjects.Requests), StringComparison.Ordinal);
        Assert.Contains($"LDAP source 'corp-ldap' at {slapd.Server.Url}", error.Message, StringComparison.Ordinal);
        Assert.Contains("InsufficientAccessRights", error.Message, StringComparison.Ordinal);
    }

    /// <summary>An Active Directory source (attribute names slapd's) whose AD-only requests go to <paramref name="activeDirectory"/>.</summary>
    private static LdapDirectorySource Source(LdapTree tree, string departures, FakeActiveDirectory activeDirectory) => new(
        tree.Settings(s =>
        {
            s.ServerKind = LdapServerKind.ActiveDirectory;
            s.Departures = Enum.Parse<LdapDepartureDetection>(departures);
            s.UserFilter = "(objectClass=inetOrgPerson)";
            s.Attributes.Id = "entryUUID";
        }),
        NullLogger<LdapDirectorySource>.Instance, TimeProvider.System, _ => activeDirectory);
}

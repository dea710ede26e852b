using System.Text;
using ScimBridge.Sync.Sources.Ldap;

namespace ScimBridge.Sync.Tests.Ldap;

/// <summary>Member values are matched to entries as written, and otherwise as directories compare DNs.</summary>
public sealed class DnIndexTests
{
    [Fact]
    public void A_member_value_written_as_the_entry_DN_is_found_with_its_key()
    {
        var index = new DnIndex();
        index.Add("uid=adele,ou=people,dc=example,dc=org", "key-adele");
        index.Add("uid=alex,ou=people,dc=example,dc=org", "key-alex");

        Assert.Equal("key-alex", Find(index, "uid=alex,ou=people,dc=example,dc=org"));
        Assert.Null(Find(index, "uid=outsider,ou=elsewhere,dc=example,dc=org"));
    }

    [Theory]
    [InlineData("UID=Adele, OU=People, DC=example, DC=org")]
    [InlineData("uid=adele , ou=people,dc=example,dc=org")]
    public void A_member_value_written_differently_finds_the_same_entry(string written)
    {
        var index = new DnIndex();
        index.Add("uid=adele,ou=people,dc=example,dc=org", "key-adele");

        Assert.Equal("key-adele", Find(index, written));
    }

    [Fact]
    public void An_entry_DN_in_capitals_as_Active_Directory_writes_it_is_found_from_a_lower_case_value()
    {
        var index = new DnIndex();
        index.Add("CN=Adele Vance,OU=Staff,DC=corp,DC=example,DC=org", "key-adele");

        Assert.Equal("key-adele", Find(index, "CN=Adele Vance,OU=Staff,DC=corp,DC=example,DC=org"));
        Assert.Equal("key-adele", Find(index, "cn=adele vance,ou=staff,dc=corp,dc=example,dc=org"));
        // Entries added after the first miss are found the same ways.
        index.Add("CN=Alex Wilber,OU=Staff,DC=corp,DC=example,DC=org", "key-alex");
        Assert.Equal("key-alex", Find(index, "cn=alex wilber, ou=staff,dc=corp,dc=example,dc=org"));
    }

    [Fact]
    public void One_key_has_one_ordinal_whatever_the_DN_it_was_seen_under()
    {
        var index = new DnIndex();
        index.Add("uid=adele,ou=people,dc=example,dc=org", "key-adele");
        index.Add("uid=adele,ou=moved,ou=people,dc=example,dc=org", "key-adele");

        Assert.True(index.TryFind("uid=adele,ou=people,dc=example,dc=org", out var before));
        Assert.True(index.TryFind("uid=adele,ou=moved,ou=people,dc=example,dc=org", out var after));
        Assert.Equal(before, after);
        Assert.Equal(["key-adele"], index.Keys);
    }

    [Fact]
    public void Values_longer_than_the_stack_buffer_and_not_ASCII_are_decoded_whole()
    {
        var dn = $"cn=Zoë {new string('x', DnIndex.StackLimit)},ou=people,dc=example,dc=org";
        var index = new DnIndex();
        index.Add(dn, "key-zoe");

        Assert.Equal("key-zoe", Find(index, dn));
        Assert.Equal("key-zoe", Find(index, "cn=Zoë Smith,ou=people,dc=example,dc=org".Replace("Smith", new string('x', DnIndex.StackLimit), StringComparison.Ordinal)));
    }

    private static string? Find(DnIndex index, string memberValue)
    {
        Span<char> buffer = stackalloc char[DnIndex.StackLimit];
        return index.TryFind(DnIndex.Decode(Encoding.UTF8.GetBytes(memberValue), buffer), out var ordinal) ? index.Keys[ordinal] : null;
    }
}

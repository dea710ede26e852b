using ScimBridge.Model.Reconcile;
using ScimBridge.Sync.Sources.Ldap;

namespace ScimBridge.Sync.Tests.Ldap;

/// <summary>
/// Range retrieval is an Active Directory behaviour; OpenLDAP returns every value at once, so slapd cannot exercise it.
/// These tests drive the loop with a fake server that answers the way AD documents (MaxValRange pages of values).
/// </summary>
public sealed class RangedAttributeReaderTests
{
    private const string Dn = "CN=Everyone,OU=Groups,DC=corp,DC=example";

    [Theory]
    [InlineData("member;range=0-1499", 0, 1499)]
    [InlineData("Member;Range=1500-2999", 1500, 2999)]
    [InlineData("member;range=3000-*", 3000, null)]
    public void Range_descriptions_are_parsed(string description, int start, int? end)
    {
        Assert.True(RangedAttributeReader.TryParseRange(description, "member", out var parsedStart, out var parsedEnd));
        Assert.Equal(start, parsedStart);
        Assert.Equal(end, parsedEnd);
    }

    [Theory]
    [InlineData("member")]
    [InlineData("memberOf;range=0-10")]
    [InlineData("member;range=a-10")]
    [InlineData("member;range=10")]
    [InlineData("member;range=10-2")]
    public void Other_descriptions_are_not_ranges(string description) =>
        Assert.False(RangedAttributeReader.TryParseRange(description, "member", out _, out _));

    [Fact]
    public async Task Plain_values_are_returned_without_asking_again()
    {
        var server = new FakeRangeServer(total: 3, pageSize: 1500);

        var values = await RangedAttributeReader.ReadAllAsync(Dn, "member", [new LdapValues("member", ["a", "b", "c"])], server.FetchAsync, CancellationToken.None);

        Assert.Equal(["a", "b", "c"], values);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task Ranges_are_followed_until_the_one_ending_in_a_star()
    {
        var server = new FakeRangeServer(total: 4000, pageSize: 1500);

        var values = await RangedAttributeReader.ReadAllAsync(Dn, "member", server.FirstAnswer(), server.FetchAsync, CancellationToken.None);

        Assert.Equal(server.AllValues, values);
        Assert.Equal(["member;range=1500-*", "member;range=3000-*"], server.Requests);
    }

    [Fact]
    public async Task A_last_range_that_fills_a_whole_page_ends_the_loop()
    {
        var server = new FakeRangeServer(total: 3000, pageSize: 1500);

        var values = await RangedAttributeReader.ReadAllAsync(Dn, "member", server.FirstAnswer(), server.FetchAsync, CancellationToken.None);

        Assert.Equal(server.AllValues, values);
        Assert.Equal(["member;range=1500-*"], server.Requests);
    }

    [Fact]
    public async Task A_gap_between_ranges_fails_the_read()
    {
        var server = new FakeRangeServer(total: 4000, pageSize: 1500) { Skew = 10 };

        var error = await Assert.ThrowsAsync<DirectoryReadException>(
            () => RangedAttributeReader.ReadAllAsync(Dn, "member", server.FirstAnswer(), server.FetchAsync, CancellationToken.None));

        Assert.Contains("asked for member from 1500, the server answered from 1510", error.Message);
    }

    [Fact]
    public async Task An_answer_without_the_next_range_fails_the_read()
    {
        var first = new FakeRangeServer(total: 4000, pageSize: 1500).FirstAnswer();

        var error = await Assert.ThrowsAsync<DirectoryReadException>(() => RangedAttributeReader.ReadAllAsync(
            Dn, "member", first, (_, _) => Task.FromResult<IReadOnlyList<LdapValues>>([]), CancellationToken.None));

        Assert.Contains("no range of member from 1500", error.Message);
    }

    /// <summary>Answers ranged requests the way Active Directory does, from a list of member DNs.</summary>
    private sealed class FakeRangeServer(int total, int pageSize)
    {
        public List<string> AllValues { get; } = Enumerable.Range(0, total).Select(i => $"CN=User {i},OU=People,DC=corp,DC=example").ToList();
        public List<string> Requests { get; } = [];
        public int Skew { get; init; }

        public IReadOnlyList<LdapValues> FirstAnswer() => [new LdapValues("member", []), Range(0)];

        public Task<IReadOnlyList<LdapValues>> FetchAsync(string requested, CancellationToken ct)
        {
            Requests.Add(requested);
            Assert.True(RangedAttributeReader.TryParseRange(requested, "member", out var start, out _));
            return Task.FromResult<IReadOnlyList<LdapValues>>([Range(start + Skew)]);
        }

        private LdapValues Range(int start)
        {
            var values = AllValues.Skip(start).Take(pageSize).ToList();
            var last = start + values.Count >= AllValues.Count;
            return new LdapValues($"member;range={start}-{(last ? "*" : (start + values.Count - 1).ToString())}", values);
        }
    }
}

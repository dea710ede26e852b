using System.Globalization;
using System.Text;
using ScimBridge.Testing;

namespace ScimBridge.Bench;

/// <summary>
/// A directory as dense as real ones: 100,000 users in 1,000 groups, about 13 groups per user (1.29 million member
/// values), one group of 50,000 members, groups nested three deep (team1..9 ⊃ team10..99 ⊃ team100..999), 3 % of users
/// disabled (<c>description: disabled</c>). Deterministic, so the change round knows exactly what a run must change.
/// </summary>
internal sealed class DenseDirectory
{
    public const string People = "ou=people," + SlapdServer.Suffix;
    public const string Groups = "ou=groups," + SlapdServer.Suffix;
    public const string DisabledFilter = "(description=disabled)";

    private DenseDirectory(int users, int groups)
    {
        UserCount = users;
        GroupCount = groups;
        Members = new HashSet<int>[groups];
        for (var g = 0; g < groups; g++)
        {
            Members[g] = [];
        }
        for (var i = 1; i <= users; i++)
        {
            foreach (var g in GroupsOf(i))
            {
                Members[g].Add(i);
            }
        }
    }

    public int UserCount { get; }
    public int GroupCount { get; }

    /// <summary>Direct user members of each group.</summary>
    public HashSet<int>[] Members { get; }

    public long Edges => Members.Sum(m => (long)m.Count);

    public static DenseDirectory Create(int users = 100_000) => new(users, Math.Max(10, users / 100));

    public static string UserDn(int i) => Invariant($"uid=user{i:D6},{People}");
    public static string GroupDn(int g) => Invariant($"cn=team{g:D4},{Groups}");
    public static bool IsDisabled(int i) => i % 33 == 0;

    /// <summary>The nested parent of a group: team g (g ≥ 10) is a member of team g / 10.</summary>
    public static int? ParentOf(int g) => g >= 10 ? g / 10 : null;

    /// <summary>Every other user is in team0000 (half the directory); everyone is in 12 or 13 of the others.</summary>
    private IEnumerable<int> GroupsOf(int i)
    {
        if (i % 2 == 0)
        {
            yield return 0;
        }
        var count = 12 + (i % 3 == 0 ? 1 : 0);
        var seen = new HashSet<int>();
        for (var j = 0; seen.Count < count && j < 64; j++)
        {
            var g = 1 + (int)(((long)i * 7919 + (long)j * 104_729 + (long)i * j * 31) % (GroupCount - 1));
            if (seen.Add(g))
            {
                yield return g;
            }
        }
    }

    /// <summary>
    /// Entries carry modification times in the past, one second apart (groups first, then users), as a directory at
    /// rest has them: an incremental run then reads what changed since, not the whole seed again.
    /// </summary>
    private static readonly DateTime Rest = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static string Stamp(int second) => Invariant($"modifyTimestamp: {Rest.AddSeconds(second):yyyyMMddHHmmss}Z\n");

    public async Task WriteLdifAsync(string path)
    {
        await using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false), bufferSize: 1 << 20);
        await writer.WriteAsync(Invariant($"dn: {SlapdServer.Suffix}\nobjectClass: top\nobjectClass: dcObject\nobjectClass: organization\ndc: example\no: Example\n\n"));
        foreach (var ou in new[] { "people", "groups" })
        {
            await writer.WriteAsync(Invariant($"dn: ou={ou},{SlapdServer.Suffix}\nobjectClass: top\nobjectClass: organizationalUnit\nou: {ou}\n\n"));
        }
        await writer.WriteAsync(Invariant($"dn: ou=moved,{People}\nobjectClass: top\nobjectClass: organizationalUnit\nou: moved\n\n"));
        for (var i = 1; i <= UserCount; i++)
        {
            await writer.WriteAsync(Invariant(
                $"dn: {UserDn(i)}\nobjectClass: top\nobjectClass: person\nobjectClass: organizationalPerson\nobjectClass: inetOrgPerson\n"));
            await writer.WriteAsync(Invariant(
                $"uid: user{i:D6}\ncn: User {i}\nsn: {i}\ngivenName: User\ndisplayName: User {i}\nmail: user{i:D6}@example.org\n"));
            await writer.WriteAsync(Invariant($"telephoneNumber: +1 425 555 {i % 10000:D4}\nemployeeNumber: {i}\n"));
            await writer.WriteAsync(Stamp(GroupCount + i));
            await writer.WriteAsync(IsDisabled(i) ? "description: disabled\n\n" : "\n");
        }
        for (var g = 0; g < GroupCount; g++)
        {
            await writer.WriteAsync(Invariant($"dn: {GroupDn(g)}\nobjectClass: top\nobjectClass: groupOfNames\ncn: team{g:D4}\n"));
            await writer.WriteAsync(Stamp(g));
            foreach (var i in Members[g].Order())
            {
                await writer.WriteAsync(Invariant($"member: {UserDn(i)}\n"));
            }
            for (var child = 10; child < GroupCount; child++)
            {
                if (ParentOf(child) == g)
                {
                    await writer.WriteAsync(Invariant($"member: {GroupDn(child)}\n"));
                }
            }
            if (Members[g].Count == 0 && g == 0)
            {
                await writer.WriteAsync(Invariant($"member: {UserDn(1)}\n"));
            }
            await writer.WriteAsync("\n");
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

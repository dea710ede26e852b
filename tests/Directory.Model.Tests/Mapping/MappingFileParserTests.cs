using ScimBridge.Model.Mapping;
using ScimBridge.Model.Teams;

namespace ScimBridge.Model.Tests.Mapping;

public sealed class MappingFileParserTests
{
    [Fact]
    public void The_shape_from_the_issue_parses_as_written()
    {
        var result = MappingFileParser.Parse("acme.yaml", """
            # mappings/acme.yaml
            organization: acme
            unmappedUsers: keep            # or: deactivate
            rules:
              - group: { displayName: "Sales Admins" }   # as the IdP names it
                team: Sales
                role: ADMIN
              - group: { id: "6f1c2a9e-0b7d-4c1e-9a51-2f3e4d5c6b7a" }
                team: Support
                role: MEMBER
              - group: { ldapDn: "cn=engineers,ou=groups,dc=example,dc=org" }
                team: Engineering
                role: VIEWER
            """);

        Assert.True(result.IsValid, string.Join('\n', result.Errors));
        var file = result.File!;
        Assert.Equal("acme", file.Organization);
        Assert.Equal(UnmappedUserPolicy.Keep, file.UnmappedUsers);
        Assert.Equal([TeamRole.Admin, TeamRole.Member, TeamRole.Viewer], file.Rules.Select(r => r.Role));
        Assert.Equal([GroupMatchKind.DisplayName, GroupMatchKind.Id, GroupMatchKind.LdapDn], file.Rules.Select(r => r.Group.Kind));
        Assert.Equal(64, file.Version.Length);
    }

    [Theory]
    [InlineData("organization: acme\nrules:\n  - group: { displayName: A }\n    tem: Sales\n    role: ADMIN\n",
        "x.yaml:4:5: unknown key 'tem' in rule 1 (expected one of: group, team, role)")]
    [InlineData("organization: acme\nrules:\n  - group: { displayName: A }\n    team: Sales\n    role: BOSS\n",
        "x.yaml:5:11: bad role 'BOSS' (expected one of: ADMIN, MEMBER, VIEWER)")]
    [InlineData("organization: acme\nrules:\n  - group: { pattern: \"(unclosed\" }\n    team: Sales\n    role: ADMIN\n",
        "x.yaml:3:23: bad regular expression in group pattern")]
    [InlineData("organization: acme\nrules:\n  - group: { displayName: A }\n    team: Sales\n    role: ADMIN\n  - group: { displayName: a }\n    team: sales\n    role: VIEWER\n",
        "x.yaml:6:5: duplicate rule: rule 2 repeats rule 1 (line 3)")]
    [InlineData("organization: acme\nrules:\n  - group: { name: A }\n    team: Sales\n    role: ADMIN\n",
        "x.yaml:3:14: unknown group key 'name' (expected one of: displayName, id, ldapDn, cn, pattern, glob)")]
    [InlineData("organization: acme\nunmappedUsers: delete\nrules: []\n",
        "x.yaml:2:16: bad unmappedUsers 'delete' (expected one of: keep, deactivate)")]
    [InlineData("organisation: acme\nrules: []\n",
        "x.yaml:1:1: unknown key 'organisation' in the top level (expected one of")]
    [InlineData("organization: acme\nrules:\n  - group: { displayName: A }\n    team: [Sales\n",
        "x.yaml:5:1: not valid YAML")]
    [InlineData("organization: acme\ndefaultTeam: { team: Nowhere }\nrules: []\n",
        "x.yaml:2:14: defaultTeam names team 'Nowhere', which no rule grants")]
    public void Errors_name_file_line_column_and_what_is_wrong(string yaml, string expected)
    {
        var result = MappingFileParser.Parse("x.yaml", yaml);

        Assert.False(result.IsValid);
        Assert.Contains(result.Errors, e => e.ToString().StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Every_error_of_a_file_is_reported_not_only_the_first()
    {
        var result = MappingFileParser.Parse("x.yaml", "organization: acme\nrules:\n  - group: { displayName: A }\n    team: Sales\n    role: BOSS\n  - group: { cn: B }\n    role: ADMIN\n");

        Assert.Equal(2, result.Errors.Count);
        Assert.Contains(result.Errors, e => e.Message.Contains("'team' is missing", StringComparison.Ordinal));
    }
}

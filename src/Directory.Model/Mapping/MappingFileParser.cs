using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ScimBridge.Model.Organizations;
using ScimBridge.Model.Teams;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ScimBridge.Model.Mapping;

/// <summary>Reads a mapping file (YAML) into a <see cref="MappingFile"/>, reporting every error with its line and column.</summary>
public static class MappingFileParser
{
    private static readonly string[] TopKeys = ["organization", "unmappedUsers", "createMissingTeams", "defaultTeam", "rules", "organizationRoles"];
    private static readonly string[] RuleKeys = ["group", "team", "role"];
    private static readonly string[] OrganizationRoleKeys = ["group", "role"];
    private static readonly string[] DefaultTeamKeywords = ["highestRole", "firstRule"];

    private static readonly Dictionary<string, GroupMatchKind> MatchKeys = new(StringComparer.Ordinal)
    {
        ["displayName"] = GroupMatchKind.DisplayName,
        ["id"] = GroupMatchKind.Id,
        ["ldapDn"] = GroupMatchKind.LdapDn,
        ["cn"] = GroupMatchKind.Cn,
        ["pattern"] = GroupMatchKind.Pattern,
        ["glob"] = GroupMatchKind.Glob,
    };

    /// <summary>The SHA-256 of the text's UTF-8 bytes, lower-case hex: the file version.</summary>
    public static string VersionOf(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    public static MappingParseResult Parse(string fileName, string text)
    {
        var reader = new Reader(fileName);
        YamlStream stream = [];
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            var message = (e.InnerException?.Message ?? e.Message).Trim();
            return new(null, [new MappingError(fileName, (int)e.Start.Line, (int)e.Start.Column, $"not valid YAML: {message}")]);
        }

        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            var at = stream.Documents.Count > 0 ? stream.Documents[0].RootNode.Start : Mark.Empty;
            return new(null, [new MappingError(fileName, Math.Max(1, (int)at.Line), Math.Max(1, (int)at.Column),
                "a mapping file is one YAML document whose top level has 'organization' and 'rules'")]);
        }

        var file = reader.ReadFile(root, VersionOf(text));
        return reader.Errors.Count == 0 ? new(file with { Text = text }, []) : new(null, reader.Errors);
    }

    private sealed class Reader(string fileName)
    {
        public List<MappingError> Errors { get; } = [];

        public MappingFile ReadFile(YamlMappingNode root, string version)
        {
            var fields = Fields(root, TopKeys, "the top level");
            var organization = RequiredString(fields, root, "organization");
            var unmapped = fields.TryGetValue("unmappedUsers", out var u) ? Enum<UnmappedUserPolicy>(u, "unmappedUsers", "keep, deactivate") ?? UnmappedUserPolicy.Keep : UnmappedUserPolicy.Keep;
            var createTeams = !fields.TryGetValue("createMissingTeams", out var c) || Bool(c, "createMissingTeams");
            var defaultTeam = fields.TryGetValue("defaultTeam", out var d) ? DefaultTeam(d) : DefaultTeamChoice.HighestRole;
            var rules = new List<TeamRule>();
            var roles = new List<OrganizationRoleRule>();
            if (!fields.TryGetValue("rules", out var rulesNode))
            {
                Error(root, "'rules' is missing (use 'rules: []' for a file that grants nothing)");
            }
            else
            {
                foreach (var (node, number) in Sequence(rulesNode, "rules"))
                {
                    if (TeamRuleFrom(node, number) is { } rule)
                    {
                        rules.Add(rule);
                    }
                }
            }

            if (fields.TryGetValue("organizationRoles", out var rolesNode))
            {
                foreach (var (node, number) in Sequence(rolesNode, "organizationRoles"))
                {
                    if (RoleRuleFrom(node, number) is { } rule)
                    {
                        roles.Add(rule);
                    }
                }
            }

            RejectDuplicates(rules.Select(r => (r.Group.Key + "\u001f" + Team.Normalize(r.Team), r.Line, r.Column, $"rule {r.Number}")));
            RejectDuplicates(roles.Select(r => (r.Group.Key, r.Line, r.Column, $"organization role rule {r.Number}")));
            if (defaultTeam.Policy == DefaultTeamPolicy.Named && d is not null
                && !rules.Any(r => Team.Normalize(r.Team) == Team.Normalize(defaultTeam.TeamName!)))
            {
                Error(d, $"defaultTeam names team '{defaultTeam.TeamName}', which no rule grants");
            }

            var at = fields.GetValueOrDefault("organization")?.Start ?? root.Start;
            return new MappingFile(fileName, version, Organization.NormalizeSlug(organization ?? ""), unmapped, createTeams, defaultTeam, rules, roles,
                (int)at.Line, (int)at.Column);
        }

        private TeamRule? TeamRuleFrom(YamlNode node, int number)
        {
            if (node is not YamlMappingNode map)
            {
                Error(node, $"rule {number} must be a mapping with 'group', 'team' and 'role'");
                return null;
            }

            var fields = Fields(map, RuleKeys, $"rule {number}");
            var group = fields.TryGetValue("group", out var g) ? Match(g, number) : MissingMatch(map, "group", number);
            var team = RequiredString(fields, map, "team", $"rule {number}");
            var role = fields.TryGetValue("role", out var r) ? Enum<TeamRole>(r, "role", "ADMIN, MEMBER, VIEWER") : Missing<TeamRole>(map, "role", number);
            return group is null || team is null || role is null ? null : new TeamRule(number, group, team.Trim(), role.Value, (int)map.Start.Line, (int)map.Start.Column);
        }

        private OrganizationRoleRule? RoleRuleFrom(YamlNode node, int number)
        {
            if (node is not YamlMappingNode map)
            {
                Error(node, $"organization role rule {number} must be a mapping with 'group' and 'role'");
                return null;
            }

            var fields = Fields(map, OrganizationRoleKeys, $"organization role rule {number}");
            var group = fields.TryGetValue("group", out var g) ? Match(g, number) : MissingMatch(map, "group", number);
            var role = fields.TryGetValue("role", out var r)
                ? Enum<OrganizationRole>(r, "organization role", "Owner, Admin, Member, Support, Viewer")
                : Missing<OrganizationRole>(map, "role", number);
            return group is null || role is null ? null : new OrganizationRoleRule(number, group, role.Value, (int)map.Start.Line, (int)map.Start.Column);
        }

        private GroupMatch? Match(YamlNode node, int number)
        {
            if (node is not YamlMappingNode map || map.Children.Count != 1)
            {
                Error(node, $"rule {number}: 'group' needs exactly one of {string.Join(", ", MatchKeys.Keys)}, e.g. {{ displayName: \"Sales Admins\" }}");
                return null;
            }

            var (keyNode, valueNode) = map.Children.First();
            var key = ((YamlScalarNode)keyNode).Value ?? "";
            if (!MatchKeys.TryGetValue(key, out var kind))
            {
                Error(keyNode, $"unknown group key '{key}' (expected one of: {string.Join(", ", MatchKeys.Keys)})");
                return null;
            }

            if (valueNode is not YamlScalarNode { Value: { Length: > 0 } value } || string.IsNullOrWhiteSpace(value))
            {
                Error(valueNode, $"group {key} must be a non-empty text");
                return null;
            }

            try
            {
                return GroupMatch.Create(kind, value);
            }
            catch (ArgumentException e)
            {
                Error(valueNode, $"bad regular expression in group {key}: {e.Message}");
                return null;
            }
        }

        private DefaultTeamChoice DefaultTeam(YamlNode node)
        {
            if (node is YamlScalarNode { Value: { } keyword })
            {
                if (keyword.Equals("highestRole", StringComparison.OrdinalIgnoreCase))
                {
                    return DefaultTeamChoice.HighestRole;
                }

                if (keyword.Equals("firstRule", StringComparison.OrdinalIgnoreCase))
                {
                    return new DefaultTeamChoice(DefaultTeamPolicy.FirstRule);
                }

                Error(node, $"defaultTeam '{keyword}' is not one of {string.Join(", ", DefaultTeamKeywords)}; to name a team write {{ team: \"{keyword}\" }}");
                return DefaultTeamChoice.HighestRole;
            }

            if (node is YamlMappingNode map)
            {
                var fields = Fields(map, ["team"], "defaultTeam");
                if (RequiredString(fields, map, "team", "defaultTeam") is { } team)
                {
                    return new DefaultTeamChoice(DefaultTeamPolicy.Named, team.Trim());
                }

                return DefaultTeamChoice.HighestRole;
            }

            Error(node, "defaultTeam must be highestRole, firstRule or { team: NAME }");
            return DefaultTeamChoice.HighestRole;
        }

        private Dictionary<string, YamlNode> Fields(YamlMappingNode map, string[] allowed, string where)
        {
            var fields = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
            foreach (var (keyNode, value) in map.Children)
            {
                var key = (keyNode as YamlScalarNode)?.Value ?? "";
                if (!allowed.Contains(key, StringComparer.Ordinal))
                {
                    var hint = allowed.FirstOrDefault(a => a.Equals(key, StringComparison.OrdinalIgnoreCase));
                    Error(keyNode, hint is null
                        ? $"unknown key '{key}' in {where} (expected one of: {string.Join(", ", allowed)})"
                        : $"unknown key '{key}' in {where}; did you mean '{hint}'?");
                    continue;
                }

                fields[key] = value;
            }

            return fields;
        }

        private IEnumerable<(YamlNode Node, int Number)> Sequence(YamlNode node, string name)
        {
            if (node is YamlSequenceNode sequence)
            {
                return sequence.Children.Select((child, i) => (child, i + 1));
            }

            if (node is YamlScalarNode { Value: null or "" or "~" or "null" })
            {
                return [];
            }

            Error(node, $"'{name}' must be a list (each item starting with '- ')");
            return [];
        }

        private string? RequiredString(Dictionary<string, YamlNode> fields, YamlMappingNode owner, string key, string? where = null)
        {
            if (!fields.TryGetValue(key, out var node))
            {
                Error(owner, where is null ? $"'{key}' is missing" : $"{where}: '{key}' is missing");
                return null;
            }

            if (node is not YamlScalarNode { Value: { } value } || string.IsNullOrWhiteSpace(value))
            {
                Error(node, $"'{key}' must be a non-empty text");
                return null;
            }

            return value;
        }

        private T? Enum<T>(YamlNode node, string name, string allowed)
            where T : struct, Enum
        {
            if (node is YamlScalarNode { Value: { } value } && !int.TryParse(value, CultureInfo.InvariantCulture, out _)
                && System.Enum.TryParse<T>(value.Trim(), ignoreCase: true, out var parsed))
            {
                return parsed;
            }

            Error(node, $"bad {name} '{(node as YamlScalarNode)?.Value}' (expected one of: {allowed})");
            return null;
        }

        private bool Bool(YamlNode node, string name)
        {
            if (node is YamlScalarNode { Value: { } value } && bool.TryParse(value, out var parsed))
            {
                return parsed;
            }

            Error(node, $"'{name}' must be true or false");
            return true;
        }

        private GroupMatch? MissingMatch(YamlMappingNode owner, string key, int number)
        {
            Error(owner, $"rule {number}: '{key}' is missing");
            return null;
        }

        private T? Missing<T>(YamlMappingNode owner, string key, int number)
            where T : struct
        {
            Error(owner, $"rule {number}: '{key}' is missing");
            return null;
        }

        private void RejectDuplicates(IEnumerable<(string Key, int Line, int Column, string Name)> rules)
        {
            var seen = new Dictionary<string, (int Line, int Column, string Name)>(StringComparer.Ordinal);
            foreach (var rule in rules)
            {
                if (seen.TryGetValue(rule.Key, out var first))
                {
                    Errors.Add(new MappingError(fileName, rule.Line, rule.Column, $"duplicate rule: {rule.Name} repeats {first.Name} (line {first.Line})"));
                }
                else
                {
                    seen[rule.Key] = (rule.Line, rule.Column, rule.Name);
                }
            }
        }

        private void Error(YamlNode node, string message) =>
            Errors.Add(new MappingError(fileName, (int)node.Start.Line, (int)node.Start.Column, message));
    }
}

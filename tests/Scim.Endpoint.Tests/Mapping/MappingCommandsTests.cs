using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ScimBridge.Model.Persistence;
using ScimBridge.Scim.Cli;
using ScimBridge.Scim.Tests.Infrastructure;

namespace ScimBridge.Scim.Tests.Mapping;

public sealed class MappingCommandsTests(MappingFactory factory) : IClassFixture<MappingFactory>
{
    [Fact]
    public async Task Validate_prints_file_line_column_messages_and_fails_on_errors()
    {
        await factory.CreateOrganizationClientAsync("valid-org");
        var good = Path.Combine(factory.DataFolder, "good.yaml");
        var bad = Path.Combine(factory.DataFolder, "bad.yaml");
        await File.WriteAllTextAsync(good, "organization: valid-org\nrules:\n  - group: { cn: sales }\n    team: Sales\n    role: MEMBER\n");
        var unknown = Path.Combine(factory.DataFolder, "unknown.yaml");
        await File.WriteAllTextAsync(unknown, "organization: nowhere\nrules: []\n");
        await File.WriteAllTextAsync(bad, "organization: valid-org\nrules:\n  - group: { cn: sales }\n    team: Sales\n    rol: MEMBER\n");

        var (okCode, okOutput) = await RunAsync("mappings", "validate", good);
        var (badCode, badOutput) = await RunAsync("mappings", "validate", bad);
        var (unknownCode, unknownOutput) = await RunAsync("mappings", "validate", unknown);

        Assert.Equal(0, okCode);
        Assert.Contains("OK, organization valid-org, 1 rules", okOutput);
        Assert.True(badCode == 1, badOutput);
        Assert.Equal(1, unknownCode);
        Assert.Contains($"{unknown}:1:15: unknown organization 'nowhere'", unknownOutput);
        Assert.Contains($"{bad}:5:5: unknown key 'rol' in rule 1 (expected one of: group, team, role)", badOutput);
        Assert.Contains($"{bad}:3:5: rule 1: 'role' is missing", badOutput);
    }

    [Fact]
    public async Task Preview_lists_changes_per_user_and_writes_nothing()
    {
        var api = new ScimApi(await factory.CreateOrganizationClientAsync("preview-org"));
        var ada = ScimApi.Id(await api.CreateUserAsync("ada@preview.example"));
        await api.CreateGroupAsync("Support-EMEA", ada);
        await api.CreateUserAsync("idle@preview.example");
        var draft = Path.Combine(factory.DataFolder, "draft.yaml");
        await File.WriteAllTextAsync(draft, """
            organization: preview-org
            unmappedUsers: deactivate
            rules:
              - group: { glob: "support-*" }
                team: Support
                role: ADMIN
            """);
        var before = await CountsAsync();

        var (code, output) = await RunAsync("mappings", "preview", "--org", "preview-org", draft);

        Assert.Equal(0, code);
        Assert.Contains("Teams to create: Support", output);
        Assert.Contains("ada@preview.example\n  + Support ADMIN", output.ReplaceLineEndings("\n"));
        Assert.Contains("idle@preview.example\n  deactivate", output.ReplaceLineEndings("\n"));
        Assert.Contains("2 users change: 1 memberships added, 0 removed, 0 role changes, 1 deactivations", output);
        Assert.Equal(before, await CountsAsync());
    }

    private async Task<(int Code, string Output)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        var code = await AdminCommandLine.RunAsync(factory.Services, args, output, output);
        return (code, output.ToString());
    }

    private async Task<(int Audit, int Memberships, int Teams, int Deactivated, int Applied)> CountsAsync()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ScimBridgeDbContext>();
        return (await db.AuditEntries.CountAsync(), await db.TeamMemberships.CountAsync(), await db.Teams.CountAsync(),
            await db.Users.CountAsync(u => u.DeactivatedAt != null), await db.AppliedMappings.CountAsync());
    }
}

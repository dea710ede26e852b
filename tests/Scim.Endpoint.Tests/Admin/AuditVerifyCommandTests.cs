using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ScimBridge.Model.Persistence;
using ScimBridge.Scim.Tests.Infrastructure;

namespace ScimBridge.Scim.Tests.Admin;

public sealed class AuditVerifyCommandTests(ScimBridgeFactory factory) : IClassFixture<ScimBridgeFactory>
{
    [Fact]
    public async Task An_untouched_chain_verifies_and_a_tampered_entry_is_named_with_exit_code_1()
    {
        var api = new ScimApi(await factory.CreateOrganizationClientAsync("verifyco"));
        await api.CreateUserAsync("a@example.org");
        var second = ScimApi.Id(await api.CreateUserAsync("b@example.org"));
        await api.CreateUserAsync("c@example.org");

        var (intactExit, intactOutput, _) = await AdminCli.RunAsync(factory, "audit", "verify", "--org", "verifyco");
        Assert.Equal(0, intactExit);
        Assert.Contains("verifyco: intact", intactOutput, StringComparison.Ordinal);

        long tampered;
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ScimBridgeDbContext>();
            tampered = db.AuditEntries.Single(a => a.TargetId == second && a.Action == "user.created").Id;
            await db.AuditEntries.Where(a => a.Id == tampered).ExecuteUpdateAsync(s => s.SetProperty(a => a.Actor, "scim:someone-else"));
        }

        var (exit, output, _) = await AdminCli.RunAsync(factory, "audit", "verify", "--org", "verifyco");
        Assert.Equal(1, exit);
        Assert.Contains($"entry {tampered} does not verify", output, StringComparison.Ordinal);
        var (allExit, _, _) = await AdminCli.RunAsync(factory, "audit", "verify");
        Assert.Equal(1, allExit);
    }
}

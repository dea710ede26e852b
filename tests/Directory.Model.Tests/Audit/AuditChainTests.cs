using Microsoft.EntityFrameworkCore;
using ScimBridge.Model.Audit;
using ScimBridge.Model.Tests.Builders;

namespace ScimBridge.Model.Tests.Audit;

public sealed class AuditChainTests
{
    [Fact]
    public async Task Untouched_trail_verifies_as_intact()
    {
        await using var directory = await TestDirectory.CreateAsync();
        for (var i = 0; i < 5; i++)
        {
            await directory.Users.CreateAsync(Profiles.Person($"user{i}@example.org"), directory.Context, default);
            await directory.Db.SaveChangesAsync();
        }

        var result = await new AuditVerifier(directory.NewContext()).VerifyAsync(directory.Organization.Id, default);

        Assert.True(result.Intact);
        Assert.Equal(5, result.EntriesChecked);
    }

    [Fact]
    public async Task Editing_an_entry_after_the_fact_is_detected_at_that_entry()
    {
        await using var directory = await TestDirectory.CreateAsync();
        for (var i = 0; i < 3; i++)
        {
            await directory.Users.CreateAsync(Profiles.Person($"user{i}@example.org"), directory.Context, default);
            await directory.Db.SaveChangesAsync();
        }

        var second = await directory.Db.AuditEntries.OrderBy(a => a.Id).Skip(1).FirstAsync();
        await directory.Db.AuditEntries.Where(a => a.Id == second.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.Actor, "admin:someone-else"));

        var result = await new AuditVerifier(directory.NewContext()).VerifyAsync(directory.Organization.Id, default);

        Assert.False(result.Intact);
        Assert.Equal(second.Id, result.FirstBrokenEntryId);
    }

    [Fact]
    public async Task Several_entries_saved_together_chain_in_the_order_the_verifier_walks()
    {
        await using var directory = await TestDirectory.CreateAsync();
        for (var i = 0; i < 3; i++)
        {
            var user = await directory.Users.CreateAsync(Profiles.Person($"user{i}@example.org"), directory.Context, default);
            await directory.Db.SaveChangesAsync();
            var group = directory.Groups.Create($"Group {i}", null, directory.Context);
            await directory.Groups.AddMembersAsync(group, [user.Id], directory.Context, default);
            await directory.Db.SaveChangesAsync();
        }

        var result = await new AuditVerifier(directory.NewContext()).VerifyAsync(directory.Organization.Id, default);

        Assert.True(result.Intact, $"broken at entry {result.FirstBrokenEntryId}");
        Assert.Equal(9, result.EntriesChecked);
    }
}

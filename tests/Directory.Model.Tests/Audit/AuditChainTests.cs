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

    [Theory]
    [InlineData(null, null, null)]
    [InlineData("{\"userName\":\"zoë\"}", "{\"userName\":\"zoë 😀\"}", "renamed in the source — ✓")]
    public void Trails_written_by_earlier_versions_still_verify(string? before, string? after, string? cause)
    {
        // The hash is SHA-256 of the UTF-8 of the fields joined by U+001F, as every stored trail was chained.
        var entry = new AuditEntry
        {
            OrganizationId = Guid.Parse("7d6f4d3c-2b1a-4f0e-9d8c-7b6a5f4e3d2c"),
            At = new DateTimeOffset(2026, 12, 2, 17, 30, 0, TimeSpan.Zero).AddTicks(1230),
            Actor = "sync:corp#7",
            Action = "user.deactivated",
            TargetType = "user",
            TargetId = "0c9b8a7d-6e5f-4a3b-2c1d-0e9f8a7b6c5d",
            Before = before,
            After = after,
            Cause = cause,
        };
        var joined = string.Join('\u001f', "previous", entry.OrganizationId.ToString("N"), entry.At.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture),
            entry.Actor, entry.Action, entry.TargetType, entry.TargetId, before ?? "", after ?? "", cause ?? "");
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(joined)));

        Assert.Equal(expected, entry.ComputeHash("previous"));
    }
}

using Microsoft.EntityFrameworkCore;
using ScimBridge.Model.Provisioning;
using ScimBridge.Model.Tests.Builders;
using ScimBridge.Model.Users;

namespace ScimBridge.Model.Tests.Provisioning;

public sealed class UserProvisioningTests
{
    [Fact]
    public async Task UserName_is_unique_per_organization_ignoring_case()
    {
        await using var directory = await TestDirectory.CreateAsync();
        await directory.Users.CreateAsync(Profiles.Person("ada@example.org"), directory.Context, default);
        await directory.Db.SaveChangesAsync();

        await Assert.ThrowsAsync<UniquenessConflictException>(
            () => directory.Users.CreateAsync(Profiles.Person("ADA@Example.org"), directory.Context, default));
    }

    [Fact]
    public async Task Email_with_spaces_is_refused()
    {
        await using var directory = await TestDirectory.CreateAsync();
        var profile = Profiles.Person("ada@example.org") with { Emails = [new EmailAddress("ada @example.org")] };

        await Assert.ThrowsAsync<InvalidValueException>(() => directory.Users.CreateAsync(profile, directory.Context, default));
    }

    [Fact]
    public async Task Deactivation_keeps_the_user_and_reactivation_restores_its_previous_state()
    {
        await using var directory = await TestDirectory.CreateAsync();
        var user = await directory.Users.CreateAsync(Profiles.Person("ada@example.org"), directory.Context, default);
        user.AdvanceTo(UserStatus.Invited);
        await directory.Db.SaveChangesAsync();

        await directory.Users.UpdateAsync(user, user.ToProfile() with { Active = false }, directory.Context, default);
        await directory.Db.SaveChangesAsync();
        await using (var read = directory.NewContext())
        {
            var stored = await read.Users.SingleAsync(u => u.Id == user.Id);
            Assert.Equal(UserStatus.Deactivated, stored.Status);
            Assert.NotNull(stored.DeactivatedAt);
        }

        directory.Users.Reactivate(user, directory.Context);
        await directory.Db.SaveChangesAsync();
        await using (var read = directory.NewContext())
        {
            Assert.Equal(UserStatus.Invited, (await read.Users.SingleAsync(u => u.Id == user.Id)).Status);
            var actions = await read.AuditEntries.Where(a => a.TargetId == user.Id.ToString()).OrderBy(a => a.Id).Select(a => a.Action).ToListAsync();
            Assert.Equal(["user.created", "user.deactivated", "user.reactivated"], actions);
        }
    }

    [Fact]
    public async Task Update_with_an_identical_profile_writes_nothing()
    {
        await using var directory = await TestDirectory.CreateAsync();
        var user = await directory.Users.CreateAsync(Profiles.Person("ada@example.org"), directory.Context, default);
        await directory.Db.SaveChangesAsync();

        var changed = await directory.Users.UpdateAsync(user, Profiles.Person("ada@example.org"), directory.Context, default);
        await directory.Db.SaveChangesAsync();

        Assert.False(changed);
        Assert.Equal(1, user.Version);
        Assert.Equal(1, await directory.Db.AuditEntries.CountAsync(a => a.TargetId == user.Id.ToString()));
    }

    [Fact]
    public async Task Delete_hides_the_user_but_keeps_the_row_and_restore_brings_it_back()
    {
        await using var directory = await TestDirectory.CreateAsync();
        var user = await directory.Users.CreateAsync(Profiles.Person("ada@example.org"), directory.Context, default);
        await directory.Db.SaveChangesAsync();

        directory.Users.Delete(user, directory.Context);
        await directory.Db.SaveChangesAsync();
        await using (var read = directory.NewContext())
        {
            var stored = await read.Users.SingleAsync(u => u.Id == user.Id);
            Assert.NotNull(stored.DeletedAt);
            Assert.False(stored.Active);
        }

        directory.Users.Restore(user, directory.Context);
        await directory.Db.SaveChangesAsync();
        await using (var read = directory.NewContext())
        {
            var stored = await read.Users.SingleAsync(u => u.Id == user.Id);
            Assert.Null(stored.DeletedAt);
            Assert.True(stored.Active);
        }
    }
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using ScimBridge.Model.Audit;
using ScimBridge.Model.Organizations;
using ScimBridge.Model.Persistence;
using ScimBridge.Model.Provisioning;
using ScimBridge.Model.Users;

namespace ScimBridge.Scim.Tests.Infrastructure;

/// <summary>People of the browser tests: directory users the test identity provider knows, signing in through it.</summary>
public static class ConsolePeople
{
    /// <summary>A directory user of the organization with <paramref name="role"/>, whom the provider knows by <paramref name="login"/> (sub = externalId).</summary>
    public static async Task AddAsync(ConsoleBrowserFixture fixture, string slug, string login, OrganizationRole role)
    {
        ArgumentNullException.ThrowIfNull(fixture);
        var email = $"{login}@{slug}.example";
        fixture.Provider.Add(new ProviderUser(login, $"{login}-{slug}-sub", email, EmailVerified: true, login));
        await using var scope = fixture.App.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<ScimBridgeDbContext>();
        var organizationId = db.Organizations.Single(o => o.Slug == slug).Id;
        var context = new ProvisioningContext(organizationId, AuditActor.CommandLine("test"), ManagedBySources.Manual);
        var user = await services.GetRequiredService<UserProvisioning>().CreateAsync(new UserProfile
        {
            UserName = email,
            ExternalId = $"{login}-{slug}-sub",
            Emails = [new EmailAddress(email, "work", true, null)],
        }, context, CancellationToken.None);
        await services.GetRequiredService<OrganizationRoleProvisioning>().SetRoleAsync(user, role, context, CancellationToken.None);
        await db.SaveChangesAsync();
    }

    /// <summary>Opens the console, follows "Sign in with Test IdP" and signs in as <paramref name="login"/>; waits for the users page.</summary>
    public static async Task SignInAsync(IPage page, string login)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.GotoAsync("/admin/users");
        await page.GetByRole(AriaRole.Link, new() { Name = "Sign in with Test IdP" }).ClickAsync();
        await page.Locator("#login").FillAsync(login);
        await page.Locator("#idp-sign-in").ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Users");
    }
}

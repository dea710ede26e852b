using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ScimBridge.Model.Audit;
using ScimBridge.Model.Organizations;
using ScimBridge.Model.Persistence;
using ScimBridge.Model.Provisioning;
using ScimBridge.Model.Users;
using ScimBridge.Scim.Tests.Infrastructure;

namespace ScimBridge.Scim.Tests.Admin;

/// <summary>The organization's numbers (<c>/admin/numbers</c>), from which teams take their base numbers.</summary>
public sealed class NumberPagesTests(ScimBridgeFactory factory) : IClassFixture<ScimBridgeFactory>
{
    private static string Slug(string name) => name + "-" + Guid.NewGuid().ToString("N")[..6];

    private static KeyValuePair<string, string> Field(string name, string value) => new(name, value);

    [Fact]
    public async Task Numbers_typed_with_spaces_are_added_once_each_listed_with_their_label_and_audited_with_the_person()
    {
        var slug = Slug("numbers");
        using var owner = await ConsoleSession.SignInAsync(factory, slug, "owner@example.org");
        var (_, page) = await owner.GetAsync("/admin/numbers");

        var added = await owner.PostFormAsync("/admin/numbers?handler=Add", page, [
            Field("numbersToAdd", "+49 30 1234567\n+49-30-1234567\n+44 (20) 7946 0000"), Field("label", "Main lines")]);

        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        var list = WebUtility.HtmlDecode((await owner.GetAsync("/admin/numbers")).Html);
        Assert.Contains("<code>+49301234567</code>", list, StringComparison.Ordinal);
        Assert.Contains("<code>+442079460000</code>", list, StringComparison.Ordinal);
        Assert.Contains("Main lines", list, StringComparison.Ordinal);
        Assert.Equal(["+442079460000", "+49301234567"], await NumbersAsync(slug));
        var (_, audit) = await owner.GetAsync("/admin/audit?action=organization.numbers.added");
        Assert.Contains("admin:owner@example.org", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task One_bad_number_refuses_the_whole_entry_next_to_the_field_and_keeps_what_was_typed()
    {
        var slug = Slug("bad-number");
        using var owner = await ConsoleSession.SignInAsync(factory, slug, "owner@example.org");
        var (_, page) = await owner.GetAsync("/admin/numbers");

        var response = await owner.PostFormAsync("/admin/numbers?handler=Add", page, [Field("numbersToAdd", "+4930123456\n030 555")]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains("id=\"error-Numbers\"", html, StringComparison.Ordinal);
        Assert.Contains("'030 555' is not a phone number in international form", html, StringComparison.Ordinal);
        Assert.Contains("030 555</textarea>", html, StringComparison.Ordinal);
        Assert.Empty(await NumbersAsync(slug));
    }

    [Fact]
    public async Task A_team_may_take_only_the_organizations_numbers_as_base_numbers()
    {
        var slug = Slug("owned");
        using var owner = await ConsoleSession.SignInAsync(factory, slug, "owner@example.org");
        await TeamPagesTests.AddNumbersAsync(owner, "+4930111111");
        var (_, form) = await owner.GetAsync("/admin/teams/new");

        var forged = await owner.PostFormAsync("/admin/teams/new", form, [Field("Form.Name", "Sales"), Field("Form.BaseNumbers", "+4930222222")]);

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Contains("+4930222222 is not one of the organization's numbers", WebUtility.HtmlDecode(await forged.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        var created = await owner.PostFormAsync("/admin/teams/new", form, [Field("Form.Name", "Sales"), Field("Form.BaseNumbers", "+4930111111")]);
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
    }

    [Fact]
    public async Task A_number_a_team_uses_is_kept_until_the_team_lets_it_go_and_a_removal_is_undone_by_adding_it_again()
    {
        var slug = Slug("in-use");
        using var owner = await ConsoleSession.SignInAsync(factory, slug, "owner@example.org");
        await TeamPagesTests.AddNumbersAsync(owner, "+4930333333");
        var (_, form) = await owner.GetAsync("/admin/teams/new");
        var created = await owner.PostFormAsync("/admin/teams/new", form, [Field("Form.Name", "Night Shift"), Field("Form.BaseNumbers", "+4930333333")]);
        var teamPath = created.Headers.Location!.OriginalString;

        var (_, numbersPage) = await owner.GetAsync("/admin/numbers");
        Assert.Contains("Night Shift", numbersPage, StringComparison.Ordinal);
        Assert.DoesNotContain("aria-label=\"Remove +4930333333\"", WebUtility.HtmlDecode(numbersPage), StringComparison.Ordinal);
        var refused = await owner.PostFormAsync("/admin/numbers?handler=Remove", numbersPage, [Field("number", "+4930333333")]);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("+4930333333 is a base number of team Night Shift", WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(["+4930333333"], await NumbersAsync(slug));

        // The team lets it go; then the number can be removed, and adding it again brings it back.
        var (_, team) = await owner.GetAsync(teamPath);
        var saved = await owner.PostFormAsync(teamPath + "?handler=Settings", team, [
            Field("Form.Version", "1"), Field("Form.SmsEnabled", "true"), Field("Form.MaxApiKeys", "2")]);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        (_, numbersPage) = await owner.GetAsync("/admin/numbers");
        Assert.Contains("aria-label=\"Remove +4930333333\"", WebUtility.HtmlDecode(numbersPage), StringComparison.Ordinal);
        var removed = await owner.PostFormAsync("/admin/numbers?handler=Remove", numbersPage, [Field("number", "+4930333333")]);
        Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
        Assert.Empty(await NumbersAsync(slug));
        var (_, audit) = await owner.GetAsync("/admin/audit?action=organization.numbers.removed");
        Assert.Contains("admin:owner@example.org", audit, StringComparison.Ordinal);

        await TeamPagesTests.AddNumbersAsync(owner, "+4930333333");
        Assert.Equal(["+4930333333"], await NumbersAsync(slug));
    }

    [Fact]
    public async Task A_number_that_is_a_users_outbound_caller_id_cannot_be_removed()
    {
        var slug = Slug("caller");
        using var owner = await ConsoleSession.SignInAsync(factory, slug, "owner@example.org");
        await TeamPagesTests.AddNumbersAsync(owner, "+4930444444");
        await SetCallerIdAsync(slug, "owner@example.org", "+4930444444");

        var (_, page) = await owner.GetAsync("/admin/numbers");
        var refused = await owner.PostFormAsync("/admin/numbers?handler=Remove", page, [Field("number", "+4930444444")]);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("outbound caller ID of user owner@example.org", WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(["+4930444444"], await NumbersAsync(slug));
    }

    [Fact]
    public async Task A_viewer_sees_the_numbers_without_forms_and_a_forged_add_is_refused()
    {
        var slug = Slug("viewer");
        using var owner = await ConsoleSession.SignInAsync(factory, slug, "owner@example.org");
        await TeamPagesTests.AddNumbersAsync(owner, "+4930555555");
        using var viewer = await ConsoleSession.SignInAsync(factory, slug, "viewer@example.org");
        await SetRoleAsync(slug, "viewer@example.org", OrganizationRole.Viewer);

        var (status, page) = await viewer.GetAsync("/admin/numbers");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("+4930555555", WebUtility.HtmlDecode(page), StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"numbers-to-add\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("aria-label=\"Remove", page, StringComparison.Ordinal);
        var forged = await viewer.PostFormAsync("/admin/numbers?handler=Add", page, [Field("numbersToAdd", "+4930666666")]);
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Equal(["+4930555555"], await NumbersAsync(slug));
    }

    private async Task<List<string>> NumbersAsync(string slug)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ScimBridgeDbContext>();
        var organizationId = db.Organizations.Single(o => o.Slug == slug).Id;
        return await db.OrganizationNumbers.Where(n => n.OrganizationId == organizationId).OrderBy(n => n.Number).Select(n => n.Number).ToListAsync();
    }

    private async Task SetCallerIdAsync(string slug, string userName, string number)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ScimBridgeDbContext>();
        var organizationId = db.Organizations.Single(o => o.Slug == slug).Id;
        var normalized = userName.ToUpperInvariant();
        var user = await db.Users.Include(u => u.Emails).Include(u => u.PhoneNumbers)
            .SingleAsync(u => u.OrganizationId == organizationId && u.NormalizedUserName == normalized);
        var profile = user.ToProfile();
        var context = new ProvisioningContext(organizationId, AuditActor.CommandLine("test"), ManagedBySources.Manual);
        var users = scope.ServiceProvider.GetRequiredService<UserProvisioning>();
        await users.UpdateAsync(user, profile with { Platform = profile.Platform with { OutboundCallerId = number } }, context, CancellationToken.None);
        await users.SaveAsync(context, scope.ServiceProvider.GetRequiredService<MembershipProvisioning>(), CancellationToken.None);
    }

    private Task SetRoleAsync(string slug, string userName, OrganizationRole role) => ConsoleRoles.SetAsync(factory.Services, slug, userName, role);
}

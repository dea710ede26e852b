using System.Net;
using Microsoft.Extensions.DependencyInjection;
using ScimBridge.Model.Persistence;
using ScimBridge.Scim.Tests.Infrastructure;

namespace ScimBridge.Scim.Tests.Admin;

public sealed class TeamPagesTests(ScimBridgeFactory factory) : IClassFixture<ScimBridgeFactory>
{
    private static string Slug(string name) => name + "-" + Guid.NewGuid().ToString("N")[..6];

    private static KeyValuePair<string, string> Field(string name, string value) => new(name, value);

    [Fact]
    public async Task An_admin_creates_a_team_with_two_of_the_organizations_numbers_and_finds_it_in_the_list()
    {
        var slug = Slug("create");
        using var owner = await ConsoleSession.SignInAsync(factory, slug, "owner@example.org");
        await AddNumbersAsync(owner, "+49 30 1234567\n+44 20 7946 0000\n+33 1 23 45 67 89");
        var (_, form) = await owner.GetAsync("/admin/teams/new");
        // The form offers the organization's numbers to tick.
        Assert.Contains("value=\"+442079460000\"", WebUtility.HtmlDecode(form), StringComparison.Ordinal);

        var created = await owner.PostFormAsync("/admin/teams/new", form, [
            Field("Form.Name", "Sales EMEA"), Field("Form.BaseNumbers", "+49301234567"), Field("Form.BaseNumbers", "+442079460000"),
            Field("Form.ServerGroups", "eu-central"), Field("Form.SmsEnabled", "true"), Field("Form.Scopes", "CREATE_CALL_TOKEN"),
            Field("Form.MaxApiKeys", "5"), Field("Form.MaxRequestsPerDay", "10000"),
            Field("Form.NotificationsJson", """{"recipients": ["ops@example.org"], "thresholds": {"missedCalls": 10}}""")]);

        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var page = WebUtility.HtmlDecode((await owner.GetAsync(created.Headers.Location!.OriginalString)).Html);
        Assert.Contains("+49301234567, +442079460000", page, StringComparison.Ordinal);
        var (_, list) = await owner.GetAsync("/admin/teams?q=sales");
        Assert.Contains("Sales EMEA", list, StringComparison.Ordinal);
        var (_, audit) = await owner.GetAsync("/admin/audit?action=team.created");
        Assert.Contains("admin:owner@example.org", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_notifications_JSON_and_a_bad_number_are_refused_with_an_error_next_to_each_field()
    {
        var slug = Slug("invalid");
        using var owner = await ConsoleSession.SignInAsync(factory, slug, "owner@example.org");
        var (_, form) = await owner.GetAsync("/admin/teams/new");

        var response = await owner.PostFormAsync("/admin/teams/new", form, [
            Field("Form.Name", "Broken"), Field("Form.BaseNumbers", "+4930123456"), Field("Form.BaseNumbers", "030-not-a-number"),
            Field("Form.NotificationsJson", "{\"recipients\": [\"ops@example.org\",]"), Field("Form.MaxApiKeys", "two")]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains("id=\"error-BaseNumbers\"", html, StringComparison.Ordinal);
        Assert.Contains("'030-not-a-number' is not a phone number", html, StringComparison.Ordinal);
        Assert.Contains("id=\"error-NotificationsJson\"", html, StringComparison.Ordinal);
        Assert.Contains("Notifications are not valid JSON at line 1", html, StringComparison.Ordinal);
        Assert.Contains("Max API keys must be a whole number, not 'two'", html, StringComparison.Ordinal);
        // What was posted stays in the form, marked as not one of the organization's numbers.
        Assert.Contains("value=\"030-not-a-number\" checked", html, StringComparison.Ordinal);
        Assert.Equal(0, await TeamCountAsync(slug));
    }

    [Fact]
    public async Task Notifications_that_are_JSON_but_not_an_object_of_recipients_and_thresholds_are_refused()
    {
        var slug = Slug("shape");
        using var owner = await ConsoleSession.SignInAsync(factory, slug, "owner@example.org");
        var (_, form) = await owner.GetAsync("/admin/teams/new");

        var response = await owner.PostFormAsync("/admin/teams/new", form, [
            Field("Form.Name", "Shapes"), Field("Form.NotificationsJson", """{"recipients": ["not an address"]}""")]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("recipient \"not an address\" is not an e-mail address", WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_team_name_is_unique_case_insensitively_deleted_teams_included()
    {
        var slug = Slug("unique");
        using var owner = await ConsoleSession.SignInAsync(factory, slug, "owner@example.org");
        var id = await CreateAsync(owner, "Support");
        var (_, detail) = await owner.GetAsync($"/admin/teams/{id}");
        Assert.Equal(HttpStatusCode.Redirect, (await owner.PostFormAsync($"/admin/teams/{id}?handler=Delete", detail, [Field("version", "1")])).StatusCode);

        var (_, form) = await owner.GetAsync("/admin/teams/new");
        var response = await owner.PostFormAsync("/admin/teams/new", form, [Field("Form.Name", "SUPPORT")]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("already exists", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_deleted_team_leaves_the_active_list_and_comes_back_with_its_settings_when_reactivated()
    {
        var slug = Slug("delete");
        using var owner = await ConsoleSession.SignInAsync(factory, slug, "owner@example.org");
        var id = await CreateAsync(owner, "Night Shift", "+4930999999");
        var (_, detail) = await owner.GetAsync($"/admin/teams/{id}");

        Assert.Equal(HttpStatusCode.Redirect, (await owner.PostFormAsync($"/admin/teams/{id}?handler=Delete", detail, [Field("version", "1")])).StatusCode);
        Assert.DoesNotContain("Night Shift", (await owner.GetAsync("/admin/teams")).Html, StringComparison.Ordinal);
        Assert.Contains("Night Shift", (await owner.GetAsync("/admin/teams?deleted=true")).Html, StringComparison.Ordinal);

        var (_, deleted) = await owner.GetAsync($"/admin/teams/{id}");
        Assert.Equal(HttpStatusCode.Redirect, (await owner.PostFormAsync($"/admin/teams/{id}?handler=Restore", deleted, [Field("version", "2")])).StatusCode);
        var list = WebUtility.HtmlDecode((await owner.GetAsync("/admin/teams")).Html);
        Assert.Contains("Night Shift", list, StringComparison.Ordinal);
        Assert.Contains("+4930999999", list, StringComparison.Ordinal);
        var (_, audit) = await owner.GetAsync($"/admin/audit?target={id}");
        Assert.Contains("team.deleted", audit, StringComparison.Ordinal);
        Assert.Contains("team.restored", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_form_filled_from_an_older_version_of_the_team_is_refused_instead_of_overwriting()
    {
        var slug = Slug("stale");
        using var owner = await ConsoleSession.SignInAsync(factory, slug, "owner@example.org");
        var id = await CreateAsync(owner, "Original");
        var (_, detail) = await owner.GetAsync($"/admin/teams/{id}");
        Assert.Equal(HttpStatusCode.Redirect, (await owner.PostFormAsync($"/admin/teams/{id}?handler=Rename", detail, [Field("name", "First"), Field("version", "1")])).StatusCode);

        var stale = await owner.PostFormAsync($"/admin/teams/{id}?handler=Rename", detail, [Field("name", "Second"), Field("version", "1")]);

        Assert.Equal(HttpStatusCode.BadRequest, stale.StatusCode);
        Assert.Contains("Someone else changed the team", await stale.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains(">First</h1>", (await owner.GetAsync($"/admin/teams/{id}")).Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Members_are_listed_with_their_role_and_source_and_can_be_added_by_hand()
    {
        var slug = Slug("members");
        var api = new ScimApi(await factory.CreateOrganizationClientAsync(slug));
        var userId = ScimApi.Id(await api.CreateUserAsync("agent@example.org"));
        using var owner = await ConsoleSession.SignInAsync(factory, slug, "owner@example.org");
        var id = await CreateAsync(owner, "Support");
        var (_, detail) = await owner.GetAsync($"/admin/teams/{id}");

        var added = await owner.PostFormAsync($"/admin/teams/{id}?handler=AddMember", detail, [Field("member", "AGENT@example.org"), Field("role", "Admin")]);

        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        var (_, page) = await owner.GetAsync($"/admin/teams/{id}");
        Assert.Contains($"/admin/users/{userId}", page, StringComparison.Ordinal);
        Assert.Contains("by hand: set by hand by admin:owner@example.org", page, StringComparison.Ordinal);
        Assert.Contains("<td>ADMIN</td>", page, StringComparison.Ordinal);
        var unknown = await owner.PostFormAsync($"/admin/teams/{id}?handler=AddMember", page, [Field("member", "nobody@example.org"), Field("role", "Member")]);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("No user &#x27;nobody@example.org&#x27;", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_organizations_team_is_not_found_by_id_and_cannot_be_changed()
    {
        using var theirs = await ConsoleSession.SignInAsync(factory, Slug("theirs"), "owner@theirs.example");
        var id = await CreateAsync(theirs, "Secret Team");
        using var mine = await ConsoleSession.SignInAsync(factory, Slug("mine"), "owner@mine.example");

        var (status, _) = await mine.GetAsync($"/admin/teams/{id}");
        Assert.Equal(HttpStatusCode.NotFound, status);
        var (_, page) = await mine.GetAsync("/admin/teams");
        Assert.DoesNotContain("Secret Team", page, StringComparison.Ordinal);
        var post = await mine.PostFormAsync($"/admin/teams/{id}?handler=Delete", page, [Field("version", "1")]);
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        Assert.Contains("Secret Team", (await theirs.GetAsync("/admin/teams")).Html, StringComparison.Ordinal);
    }

    private static async Task<Guid> CreateAsync(ConsoleSession session, string name, string? number = null)
    {
        if (number is not null)
        {
            await AddNumbersAsync(session, number);
        }

        var (_, form) = await session.GetAsync("/admin/teams/new");
        var response = await session.PostFormAsync("/admin/teams/new", form, [Field("Form.Name", name), Field("Form.BaseNumbers", number ?? "")]);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return Guid.Parse(response.Headers.Location!.OriginalString.Split('/')[^1]);
    }

    /// <summary>Gives the organization numbers on the Numbers page, as an admin would before assigning them.</summary>
    internal static async Task AddNumbersAsync(ConsoleSession session, string numbers)
    {
        var (_, page) = await session.GetAsync("/admin/numbers");
        var response = await session.PostFormAsync("/admin/numbers?handler=Add", page, [Field("numbersToAdd", numbers)]);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    private async Task<int> TeamCountAsync(string slug)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ScimBridgeDbContext>();
        var organizationId = db.Organizations.Single(o => o.Slug == slug).Id;
        return db.Teams.Count(t => t.OrganizationId == organizationId);
    }
}

using Microsoft.EntityFrameworkCore;
using ScimBridge.Scim.Errors;
using ScimBridge.Scim.Filtering;

namespace ScimBridge.Scim.Tests.Filtering;

/// <summary>Filters translated to SQL and run against a real SQLite database (EF Core throws if anything would run in memory).</summary>
public class UserFilterTranslationTests(FilterDatabase database) : IClassFixture<FilterDatabase>
{
    private const string Enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    private const string Platform = "urn:ietf:params:scim:schemas:extension:scimbridge:2.0:User";

    private async Task<string> Find(string filter)
    {
        await using var db = database.Open();
        var ids = await UserFilter.Apply(db.Users, ScimFilterParser.Parse(filter), db.UserAddresses).Select(u => u.Id).ToListAsync();
        return string.Join(",", database.UserIds.Where(kv => ids.Contains(kv.Value)).Select(kv => kv.Key).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("userName eq \"alice@example.com\"", "alice")]
    [InlineData("userName eq \"ALICE@EXAMPLE.COM\"", "alice")]
    [InlineData("userName eq \"bob@example.com\"", "bob")]
    [InlineData("userName eq jdoe@example.com", "")]
    [InlineData("userName eq carol", "carol")]
    [InlineData("userName ne \"carol\"", "alice,bob,dave")]
    [InlineData("userName co \"EXAMPLE\"", "alice,bob")]
    [InlineData("userName sw \"b\"", "bob")]
    [InlineData("userName ew \"X.ORG\"", "dave")]
    [InlineData("userName gt \"C\"", "carol,dave")]
    [InlineData("userName ge \"CAROL\"", "carol,dave")]
    [InlineData("userName lt \"b\"", "alice")]
    [InlineData("userName le \"bob@example.com\"", "alice,bob")]
    [InlineData("userName pr", "alice,bob,carol,dave")]
    public async Task UserName_is_compared_case_insensitively_with_every_operator(string filter, string expected)
    {
        Assert.Equal(expected, await Find(filter));
    }

    [Theory]
    [InlineData("externalId eq \"ext-Alice\"", "alice")]
    [InlineData("externalId eq \"EXT-ALICE\"", "carol")]
    [InlineData("externalId eq \"ext-alice\"", "")]
    [InlineData("externalId eq 12345", "bob")]
    [InlineData("externalId sw \"ext\"", "alice")]
    [InlineData("externalId sw \"EXT-\"", "carol")]
    [InlineData("externalId ew \"Alice\"", "alice")]
    [InlineData("externalId ew \"345\"", "bob")]
    [InlineData("externalId ew \"xx-ext-Alice\"", "")]
    [InlineData("externalId co \"t-A\"", "alice")]
    [InlineData("externalId gt \"a\"", "alice")]
    [InlineData("externalId pr", "alice,bob,carol")]
    [InlineData("not (externalId pr)", "dave")]
    [InlineData("externalId eq null", "dave")]
    public async Task ExternalId_is_case_exact(string filter, string expected)
    {
        Assert.Equal(expected, await Find(filter));
    }

    [Fact]
    public async Task Id_matches_exactly_and_garbage_matches_nothing()
    {
        var alice = database.UserIds["alice"];

        Assert.Equal("alice", await Find($"id eq \"{alice}\""));
        Assert.Equal("alice", await Find($"id eq \"{alice.ToString().ToUpperInvariant()}\""));
        Assert.Equal("bob,carol,dave", await Find($"id ne \"{alice}\""));
        Assert.Equal("", await Find("id eq \"not-a-guid\""));
    }

    [Theory]
    [InlineData("name.givenName eq \"alice\"", "alice")]
    [InlineData("name.familyName sw \"B\"", "bob")]
    [InlineData("name.middleName pr", "alice")]
    [InlineData("name.formatted co \"ann archer\"", "alice")]
    [InlineData("name.honorificPrefix eq \"dr.\"", "alice")]
    [InlineData("name.honorificSuffix eq \"phd\"", "alice")]
    [InlineData("name[givenName eq \"Carol\" or familyName eq \"Baker\"]", "bob,carol")]
    [InlineData("urn:ietf:params:scim:schemas:core:2.0:User:name.givenName eq \"Bob\"", "bob")]
    [InlineData("displayName co \"ARCH\"", "alice")]
    [InlineData("nickName eq \"al\"", "alice")]
    [InlineData("nickName eq \"José\"", "carol")]
    [InlineData("nickName eq \"JOSé\"", "carol")]
    [InlineData("nickName sw \"jos\"", "carol")]
    [InlineData("nickName ew \"SÉ\"", "")]
    [InlineData("nickName ew \"Sé\"", "carol")]
    [InlineData("title eq \"engineer\"", "alice")]
    [InlineData("title pr", "alice,bob")]
    [InlineData("userType eq \"EMPLOYEE\"", "alice")]
    [InlineData("preferredLanguage eq \"EN\"", "alice")]
    [InlineData("locale eq \"en-us\"", "alice")]
    [InlineData("timezone eq \"europe/berlin\"", "alice")]
    [InlineData("profileUrl sw \"HTTPS://EXAMPLE.COM\"", "alice")]
    public async Task Core_string_attributes_compare_case_insensitively(string filter, string expected)
    {
        Assert.Equal(expected, await Find(filter));
    }

    [Theory]
    [InlineData("active eq true", "alice,carol,dave")]
    [InlineData("active eq false", "bob")]
    [InlineData("active ne true", "bob")]
    [InlineData("active eq \"false\"", "bob")]
    [InlineData("active eq true and not (userName eq \"carol\")", "alice,dave")]
    public async Task Active_follows_the_deactivated_status(string filter, string expected)
    {
        Assert.Equal(expected, await Find(filter));
    }

    [Theory]
    [InlineData("emails eq \"ALICE@example.com\"", "alice")]
    [InlineData("emails.value co \"@EXAMPLE.COM\"", "alice,bob,dave")]
    [InlineData("emails.value ew \"gmail.com\"", "alice")]
    [InlineData("emails.type eq \"HOME\"", "alice,bob,dave")]
    [InlineData("emails.primary eq true", "alice,bob,dave")]
    [InlineData("emails pr", "alice,bob,dave")]
    [InlineData("not (emails pr)", "carol")]
    [InlineData("emails[type eq \"work\" and value co \"@example.com\"]", "alice,bob")]
    [InlineData("emails.type eq \"work\" and emails.value co \"@example.com\"", "alice,bob,dave")]
    [InlineData("emails[type eq \"work\" and primary eq true]", "alice,bob")]
    [InlineData("emails[not (type eq \"work\") and value sw \"dave\"]", "dave")]
    [InlineData("emails[display pr]", "")]
    [InlineData("phoneNumbers eq \"+1 555 0100\"", "alice")]
    [InlineData("phoneNumbers[type eq \"mobile\"]", "bob")]
    [InlineData("phoneNumbers.primary eq true", "alice")]
    [InlineData("phoneNumbers.value sw \"+1 555\"", "alice,bob")]
    public async Task Multi_valued_attributes_match_when_some_element_matches(string filter, string expected)
    {
        Assert.Equal(expected, await Find(filter));
    }

    [Theory]
    [InlineData("meta.created gt \"2024-03-01T09:00:00Z\"", "carol,dave")]
    [InlineData("meta.created ge \"2024-03-01T09:00:00Z\"", "bob,carol,dave")]
    [InlineData("meta.created lt \"2024-03-01T10:00:00+01:00\"", "alice")]
    [InlineData("meta.created le \"2024-03-01T10:00:00+01:00\"", "alice,bob")]
    [InlineData("meta.created eq \"2024-01-01T09:00:00Z\"", "alice")]
    [InlineData("meta.lastModified gt \"2024-04-01\"", "bob,carol,dave")]
    [InlineData("meta.lastModified ge \"2024-03-01T09:00:00Z\" and meta.lastModified lt \"2024-05-01T09:00:00Z\"", "alice")]
    public async Task Dates_compare_as_instants(string filter, string expected)
    {
        Assert.Equal(expected, await Find(filter));
    }

    [Theory]
    [InlineData(Enterprise + ":employeeNumber eq \"1001\"", "alice")]
    [InlineData("employeeNumber eq \"1002\"", "bob")]
    [InlineData(Enterprise + ":costCenter eq \"cc-1\"", "alice")]
    [InlineData(Enterprise + ":organization eq \"ACME CORP\"", "alice")]
    [InlineData(Enterprise + ":division eq \"r&d\"", "alice")]
    [InlineData(Enterprise + ":department eq \"sales\"", "bob")]
    [InlineData(Enterprise + ":manager eq \"mgr-1\"", "alice")]
    [InlineData(Enterprise + ":manager.value eq \"MGR-1\"", "bob")]
    [InlineData(Enterprise + ":manager[value eq \"mgr-1\"]", "alice")]
    [InlineData(Enterprise + ":manager pr", "alice,bob")]
    [InlineData(Platform + ":extension eq \"101\"", "alice")]
    [InlineData(Platform + ":extension pr", "alice,bob,dave")]
    [InlineData(Platform + ":outboundCallerId eq \"+15550100\"", "alice")]
    [InlineData(Platform + ":companyName eq \"initech\"", "dave")]
    [InlineData(Platform + ":subscriptionTier eq \"premium\"", "bob")]
    public async Task Extension_attributes_are_filterable(string filter, string expected)
    {
        Assert.Equal(expected, await Find(filter));
    }

    [Theory]
    [InlineData("userName eq \"alice@example.com\" or userName eq \"carol\" and active eq true", "alice,carol")]
    [InlineData("(userName eq \"alice@example.com\" or userName eq \"bob@example.com\") and active eq true", "alice")]
    [InlineData("not (userName eq \"alice@example.com\" or emails.type eq \"work\")", "carol")]
    [InlineData("title ne \"engineer\"", "bob,carol,dave")]
    public async Task Logical_operators_combine_in_SQL(string filter, string expected)
    {
        Assert.Equal(expected, await Find(filter));
    }

    [Theory]
    [InlineData("foo eq \"x\"", "'foo' is not a filterable attribute of User")]
    [InlineData("active gt true", "'gt' cannot be applied to the boolean attribute 'active'")]
    [InlineData("emails.primary lt false", "boolean")]
    [InlineData("meta.created co \"2024\"", "dateTime")]
    [InlineData("meta.created gt \"yesterday\"", "is not one")]
    [InlineData("id co \"abc\"", "identifier")]
    [InlineData("emails.foo eq \"x\"", "'emails.foo' is not a filterable attribute")]
    [InlineData("userName[value eq \"x\"]", "not a complex attribute")]
    [InlineData("urn:ietf:params:scim:schemas:core:2.0:Group:displayName eq \"x\"", "not a filterable attribute")]
    [InlineData("active eq \"maybe\"", "boolean")]
    [InlineData("userName gt null", "cannot compare")]
    public void Unknown_attribute_or_unfitting_operator_is_an_invalid_filter(string filter, string expected)
    {
        using var db = database.Open();

        var error = Assert.Throws<ScimException>(() => UserFilter.Apply(db.Users, ScimFilterParser.Parse(filter), db.UserAddresses));

        Assert.Equal(ScimErrorTypes.InvalidFilter, error.ScimType);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}

using Microsoft.Extensions.Configuration;
using ScimBridge.Sync.Sources;
using ScimBridge.Sync.Sources.Ldap;

namespace ScimBridge.Sync.Tests.Ldap;

public sealed class LdapSourceSettingsTests
{
    [Fact]
    public void The_issue_example_entry_binds_and_validates_with_OpenLDAP_defaults()
    {
        var settings = Bind(new()
        {
            ["Name"] = "corp-ldap", ["Organization"] = "acme", ["Type"] = "Ldap", ["Schedule"] = "0 */15 * * * ?",
            ["Url"] = "ldap://127.0.0.1:3389", ["BindDn"] = "cn=admin,dc=example,dc=org", ["Password"] = "secret",
            ["UserBaseDn"] = "ou=people,dc=example,dc=org", ["GroupBaseDn"] = "ou=groups,dc=example,dc=org",
        });

        Assert.Empty(LdapSourceSettings.Validate(settings));
        Assert.Equal("corp-ldap", settings.Name);
        Assert.Equal("(objectClass=inetOrgPerson)", settings.EffectiveUserFilter);
        Assert.Equal("(objectClass=groupOfNames)", settings.EffectiveGroupFilter);
        Assert.Equal("modifyTimestamp", settings.EffectiveIncrementalAttribute);
        var attributes = settings.Attributes.Resolve(settings.ServerKind);
        Assert.Equal(("entryUUID", "uid", "mail"), (attributes.Id, attributes.UserName, attributes.Email));
        Assert.Null(attributes.AccountControl);
    }

    [Fact]
    public void Active_Directory_defaults_read_objectGUID_userPrincipalName_userAccountControl_and_uSNChanged()
    {
        var settings = Bind(new()
        {
            ["Name"] = "corp-ad", ["Url"] = "ldaps://dc1.corp.example", ["ServerKind"] = "ActiveDirectory",
            ["BindDn"] = "svc-scim@corp.example", ["Password"] = "secret",
            ["UserBaseDns:0"] = "OU=Staff,DC=corp,DC=example", ["UserBaseDns:1"] = "OU=Contractors,DC=corp,DC=example",
            ["Attributes:UserName"] = "sAMAccountName",
        });

        Assert.Empty(LdapSourceSettings.Validate(settings));
        var attributes = settings.Attributes.Resolve(settings.ServerKind);
        Assert.True(attributes.IdIsBinaryGuid);
        Assert.Equal("sAMAccountName", attributes.UserName);
        Assert.Equal("userAccountControl", attributes.AccountControl);
        Assert.Equal("uSNChanged", settings.EffectiveIncrementalAttribute);
        Assert.Equal(2, settings.EffectiveUserBaseDns.Count);
        Assert.Equal("(&(objectCategory=person)(objectClass=user))", settings.EffectiveUserFilter);
    }

    [Fact]
    public void The_password_can_come_from_a_file()
    {
        var file = Path.GetTempFileName();
        File.WriteAllText(file, "from-file\n");
        try
        {
            var settings = Bind(new()
            {
                ["Name"] = "corp-ldap", ["Url"] = "ldap://127.0.0.1:3389", ["BindDn"] = "cn=admin,dc=example,dc=org",
                ["PasswordFile"] = file, ["UserBaseDn"] = "ou=people,dc=example,dc=org",
            });

            Assert.Equal("from-file", settings.Password);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("Url", "http://dc1", "Url must be ldap://host[:port] or ldaps://host[:port]")]
    [InlineData("Url", "ldap://dc1/ou=people", "Url must be")]
    [InlineData("StartTls", "true", "StartTls applies to ldap:// only")]
    [InlineData("UserBaseDn", "", "UserBaseDn (or UserBaseDns) is required")]
    [InlineData("UserFilter", "objectClass=person", "UserFilter must be an LDAP filter")]
    [InlineData("DisabledFilter", "(|(a=b)", "DisabledFilter must be an LDAP filter")]
    [InlineData("PageSize", "0", "PageSize must be between 1 and 5000")]
    [InlineData("TimeoutSeconds", "0", "TimeoutSeconds must be between 1 and 3600")]
    [InlineData("IncrementalAttribute", "createTimestamp", "IncrementalAttribute must be modifyTimestamp, whenChanged or uSNChanged")]
    [InlineData("CaCertificatePath", "/nonexistent/ca.pem", "CaCertificatePath '/nonexistent/ca.pem' does not exist")]
    [InlineData("Attributes:Email", "mail;binary", "every entry of Attributes must be a plain LDAP attribute name")]
    [InlineData("Departures", "DirSync", "Departures DirSync needs ServerKind ActiveDirectory")]
    public void Bad_values_are_reported_with_the_source_and_the_key(string key, string value, string expected)
    {
        var values = new Dictionary<string, string?>
        {
            ["Name"] = "corp-ldap", ["Url"] = key == "StartTls" ? "ldaps://dc1" : "ldap://dc1", ["UserBaseDn"] = "ou=people,dc=example,dc=org",
        };
        values[key] = value;

        var problems = LdapSourceSettings.Validate(Bind(values));

        var problem = Assert.Single(problems);
        Assert.StartsWith("LDAP source 'corp-ldap': ", problem);
        Assert.Contains(expected, problem);
    }

    [Fact]
    public void Active_Directory_departures_need_incremental_runs()
    {
        var problems = LdapSourceSettings.Validate(Bind(new()
        {
            ["Name"] = "corp-ad", ["Url"] = "ldaps://dc1", ["UserBaseDn"] = "OU=Staff,DC=corp,DC=example,DC=org",
            ["ServerKind"] = "ActiveDirectory", ["Departures"] = "DeletedObjects", ["Incremental"] = "false",
        }));

        Assert.Contains("Departures DeletedObjects applies to incremental runs", Assert.Single(problems), StringComparison.Ordinal);
    }

    [Fact]
    public void The_factory_reports_problems_through_the_source_contract()
    {
        var factory = new LdapSourceFactory(Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance, TimeProvider.System);
        var section = Section(new() { ["Name"] = "corp-ldap", ["Url"] = "ldap://dc1" });

        var problems = factory.Validate(new SyncSourceOptions { Name = "corp-ldap", Type = "Ldap" }, section);

        Assert.Contains(problems, p => p.Contains("UserBaseDn", StringComparison.Ordinal));
        Assert.Equal("Ldap", factory.Type);
    }

    private static LdapSourceSettings Bind(Dictionary<string, string?> values)
    {
        var section = SecretFiles.Resolve(Section(values), "test");
        var options = new SyncSourceOptions();
        section.Bind(options);
        return LdapSourceFactory.Bind(options, section);
    }

    private static IConfigurationSection Section(Dictionary<string, string?> values) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(p => new KeyValuePair<string, string?>($"Source:{p.Key}", p.Value)))
            .Build()
            .GetSection("Source");
}

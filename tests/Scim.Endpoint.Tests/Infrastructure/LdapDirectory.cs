namespace ScimBridge.Scim.Tests.Infrastructure;

/// <summary>
/// A subtree of a <see cref="SlapdServer"/> (<c>ou=NAME</c> with people and groups below it) and the configuration of
/// an <c>Ldap</c> sync source reading it, for console tests that run sync sources.
/// </summary>
public sealed class LdapDirectory
{
    private LdapDirectory(SlapdServer server, string name)
    {
        Server = server;
        Root = $"ou={name},{SlapdServer.Suffix}";
    }

    public SlapdServer Server { get; }
    public string Root { get; }
    public string People => $"ou=people,{Root}";
    public string Groups => $"ou=groups,{Root}";

    /// <summary>The organization entry every subtree hangs below; once per server.</summary>
    public static void AddSuffix(SlapdServer server)
    {
        ArgumentNullException.ThrowIfNull(server);
        server.Add(SlapdServer.Suffix, ("objectClass", ["top", "dcObject", "organization"]), ("dc", ["example"]), ("o", ["Example"]));
    }

    public static LdapDirectory Create(SlapdServer server, string name)
    {
        var directory = new LdapDirectory(server, name);
        foreach (var (dn, ou) in new[] { (directory.Root, name), (directory.People, "people"), (directory.Groups, "groups") })
        {
            server.Add(dn, ("objectClass", ["top", "organizationalUnit"]), ("ou", [ou]));
        }

        return directory;
    }

    /// <summary>An inetOrgPerson <c>uid</c> with mail <c>uid@example.org</c>; returns its DN.</summary>
    public string AddUser(string uid)
    {
        var dn = $"uid={uid},{People}";
        Server.Add(dn, ("objectClass", ["top", "person", "organizationalPerson", "inetOrgPerson"]), ("uid", [uid]), ("cn", [uid + " Test"]),
            ("sn", ["Test"]), ("givenName", [uid]), ("mail", [$"{uid}@example.org"]));
        return dn;
    }

    /// <summary>A groupOfNames with these members; returns its DN.</summary>
    public string AddGroup(string cn, params string[] members)
    {
        var dn = $"cn={cn},{Groups}";
        Server.Add(dn, ("objectClass", ["top", "groupOfNames"]), ("cn", [cn]), ("member", members));
        return dn;
    }

    /// <summary>Configuration of source number <paramref name="index"/>, named <paramref name="name"/>, provisioning <paramref name="organization"/> from this subtree.</summary>
    public Dictionary<string, string?> Source(int index, string name, string organization, string? schedule = null)
    {
        var prefix = $"ScimBridge:Sync:Sources:{index}:";
        var settings = new Dictionary<string, string?>
        {
            [prefix + "Name"] = name,
            [prefix + "Organization"] = organization,
            [prefix + "Type"] = "Ldap",
            [prefix + "Url"] = Server.Url,
            [prefix + "BindDn"] = SlapdServer.AdminDn,
            [prefix + "Password"] = SlapdServer.AdminPassword,
            [prefix + "UserBaseDn"] = People,
            [prefix + "GroupBaseDn"] = Groups,
            [prefix + "TimeoutSeconds"] = "30",
            [prefix + "ReadTimeoutSeconds"] = "120",
        };
        if (schedule is not null)
        {
            settings[prefix + "Schedule"] = schedule;
        }

        return settings;
    }
}

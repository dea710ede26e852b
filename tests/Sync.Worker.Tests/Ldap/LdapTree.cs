using Microsoft.Extensions.Logging.Abstractions;
using ScimBridge.Sync.Sources.Ldap;

namespace ScimBridge.Sync.Tests.Ldap;

/// <summary>A test's own subtree in a <see cref="SlapdServer"/>: <c>ou=people</c> and <c>ou=groups</c> under <c>ou=NAME</c>.</summary>
public sealed class LdapTree
{
    private LdapTree(SlapdServer server, string root)
    {
        Server = server;
        Root = root;
    }

    public SlapdServer Server { get; }
    public string Root { get; }
    public string People => $"ou=people,{Root}";
    public string Groups => $"ou=groups,{Root}";

    /// <summary>A slapd of its own with the suffix entry and one tree <paramref name="name"/>; dispose its <see cref="Server"/>.</summary>
    public static async Task<LdapTree> StartServerAsync(string name, SlapdOptions? options = null)
    {
        var server = await SlapdServer.StartAsync(options);
        try
        {
            AddSuffix(server);
            return Create(server, name);
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>The organization entry for <see cref="SlapdServer.Suffix"/>, parent of every tree.</summary>
    public static void AddSuffix(SlapdServer server) =>
        server.Add(SlapdServer.Suffix, ("objectClass", ["top", "dcObject", "organization"]), ("dc", ["example"]), ("o", ["Example"]));

    public static LdapTree Create(SlapdServer server, string name)
    {
        var tree = new LdapTree(server, $"ou={name},{SlapdServer.Suffix}");
        foreach (var dn in new[] { tree.Root, tree.People, tree.Groups })
        {
            server.Add(dn, ("objectClass", ["top", "organizationalUnit"]), ("ou", [dn[3..dn.IndexOf(',', StringComparison.Ordinal)]]));
        }
        return tree;
    }

    public string UserDn(string uid) => $"uid={uid},{People}";
    public string GroupDn(string cn) => $"cn={cn},{Groups}";

    /// <summary>An inetOrgPerson with uid, names and mail (<c>uid@example.org</c> unless given).</summary>
    public string AddUser(string uid, string? givenName = null, string? surname = null, string? mail = null,
        string? phone = null, string? employeeNumber = null)
    {
        var dn = UserDn(uid);
        var attributes = new List<(string, string[])>
        {
            ("objectClass", ["top", "person", "organizationalPerson", "inetOrgPerson"]),
            ("uid", [uid]),
            ("cn", [$"{givenName ?? uid} {surname ?? "Test"}"]),
            ("sn", [surname ?? "Test"]),
            ("givenName", [givenName ?? uid]),
            ("displayName", [$"{givenName ?? uid} {surname ?? "Test"}"]),
            ("mail", [mail ?? $"{uid}@example.org"]),
        };
        if (phone is not null)
        {
            attributes.Add(("telephoneNumber", [phone]));
        }
        if (employeeNumber is not null)
        {
            attributes.Add(("employeeNumber", [employeeNumber]));
        }
        Server.Add(dn, [.. attributes]);
        return dn;
    }

    /// <summary>A groupOfNames with the given member DNs (the schema wants at least one).</summary>
    public string AddGroup(string cn, params string[] memberDns)
    {
        var dn = GroupDn(cn);
        Server.Add(dn, ("objectClass", ["top", "groupOfNames"]), ("cn", [cn]), ("member", memberDns));
        return dn;
    }

    public string UuidOf(string dn) => Server.Read(dn, "entryUUID") ?? throw new InvalidOperationException($"{dn} has no entryUUID");

    /// <summary>Settings reading this subtree as the admin; <paramref name="change"/> adjusts them.</summary>
    public LdapSourceSettings Settings(Action<LdapSourceSettings>? change = null)
    {
        var settings = new LdapSourceSettings
        {
            Name = "corp-ldap",
            Url = Server.Url,
            BindDn = SlapdServer.AdminDn,
            Password = SlapdServer.AdminPassword,
            UserBaseDn = People,
            GroupBaseDn = Groups,
            TimeoutSeconds = 10,
            ReadTimeoutSeconds = 60,
        };
        change?.Invoke(settings);
        return settings;
    }

    /// <summary>Configuration entries (under <paramref name="prefix"/>) of an <c>Ldap</c> source reading this subtree as the admin.</summary>
    public Dictionary<string, string?> SourceConfiguration(string prefix) => new()
    {
        [prefix + "Type"] = "Ldap",
        [prefix + "Url"] = Server.Url,
        [prefix + "BindDn"] = SlapdServer.AdminDn,
        [prefix + "Password"] = SlapdServer.AdminPassword,
        [prefix + "UserBaseDn"] = People,
        [prefix + "GroupBaseDn"] = Groups,
    };

    public LdapDirectorySource Source(Action<LdapSourceSettings>? change = null) =>
        new(Settings(change), NullLogger<LdapDirectorySource>.Instance, TimeProvider.System);
}

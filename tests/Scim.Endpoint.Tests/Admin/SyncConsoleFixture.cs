using ScimBridge.Scim.Tests.Infrastructure;
using ScimBridge.Scim.Tests.Mapping;

namespace ScimBridge.Scim.Tests.Admin;

/// <summary>
/// A real slapd with one subtree per sync source, and the service configured with those sources, each provisioning an
/// organization of its own so that tests do not see each other's runs: <c>dry</c> → flow-dry, <c>live</c> → flow-live
/// (scheduled nightly), <c>empty</c> → flow-empty (an empty subtree: its runs are aborted by the guard), <c>theirs</c> →
/// flow-theirs.
/// </summary>
public sealed class SyncConsoleFixture : IAsyncLifetime
{
    public SlapdServer Slapd { get; private set; } = null!;

    public SyncConsoleFactory App { get; private set; } = null!;

    public LdapDirectory Dry { get; private set; } = null!;

    public LdapDirectory Live { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Slapd = await SlapdServer.StartAsync();
        LdapDirectory.AddSuffix(Slapd);
        Dry = Populate(LdapDirectory.Create(Slapd, "dry"));
        Live = Populate(LdapDirectory.Create(Slapd, "live"));
        var empty = LdapDirectory.Create(Slapd, "empty");
        var theirs = Populate(LdapDirectory.Create(Slapd, "theirs"));
        var settings = new Dictionary<string, string?>();
        foreach (var source in new[]
                 {
                     Dry.Source(0, "dry", "flow-dry"), Live.Source(1, "live", "flow-live", "0 0 3 * * ?"),
                     empty.Source(2, "empty", "flow-empty"), theirs.Source(3, "theirs", "flow-theirs"),
                 })
        {
            foreach (var (key, value) in source)
            {
                settings[key] = value;
            }
        }

        App = new SyncConsoleFactory(settings);
        await App.InitializeAsync();
        foreach (var slug in new[] { "flow-dry", "flow-live", "flow-empty", "flow-theirs" })
        {
            App.WriteMapping(slug + ".yaml", Mapping(slug));
        }
    }

    /// <summary>adele (sales, leads), alex (sales), diego (no group).</summary>
    private static LdapDirectory Populate(LdapDirectory directory)
    {
        var adele = directory.AddUser("adele");
        var alex = directory.AddUser("alex");
        directory.AddUser("diego");
        directory.AddGroup("sales", adele, alex);
        directory.AddGroup("leads", adele);
        return directory;
    }

    public static string Mapping(string slug) => $$"""
        organization: {{slug}}
        createMissingTeams: true
        rules:
          - group: { cn: "sales" }
            team: Sales
            role: MEMBER
          - group: { cn: "leads" }
            team: Sales
            role: ADMIN
        """;

    public async Task DisposeAsync()
    {
        if (App is not null)
        {
            await ((IAsyncLifetime)App).DisposeAsync();
        }

        Slapd?.Dispose();
    }
}

/// <summary>The service with the fixture's sync sources and a watched mappings folder.</summary>
public sealed class SyncConsoleFactory(IDictionary<string, string?> sources) : MappingFactory
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings.Concat(sources));
}

namespace ScimBridge.Sync.Tests.Ldap;

/// <summary>One slapd shared by a test collection; each test works in a subtree of its own (<see cref="LdapTree"/>).</summary>
public sealed class SlapdFixture : IAsyncLifetime
{
    private int _trees;

    public SlapdServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await SlapdServer.StartAsync();
        LdapTree.AddSuffix(Server);
    }

    /// <summary>A fresh subtree <c>ou=tN,dc=example,dc=org</c> with people and groups below it.</summary>
    public LdapTree NewTree() => LdapTree.Create(Server, $"t{Interlocked.Increment(ref _trees)}");

    public Task DisposeAsync()
    {
        Server.Dispose();
        return Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class SlapdCollection : ICollectionFixture<SlapdFixture>
{
    public const string Name = "slapd";
}

using ScimBridge.Model.Reconcile;

namespace ScimBridge.Sync.Tests.Ldap;

/// <summary>One slapd with a certificate from a CA made for the test, shared by the TLS tests.</summary>
/// <remarks>
/// libldap keeps TLS state per process; every TLS test in this process trusts (or not) the same CA, so the order
/// the tests run in cannot change what a later one sees.
/// </remarks>
public sealed class TlsSlapd : IAsyncLifetime
{
    public LdapTree Tree { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Tree = await LdapTree.StartServerAsync("tls", new SlapdOptions { Tls = true });
        Tree.AddUser("adele");
    }

    public Task DisposeAsync()
    {
        Tree.Server.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>ldaps:// and StartTLS against slapd with a certificate from a CA made for the test.</summary>
public sealed class LdapTlsTests(TlsSlapd slapd) : IClassFixture<TlsSlapd>
{
    private readonly SlapdServer _server = slapd.Tree.Server;
    private readonly LdapTree _tree = slapd.Tree;

    [Fact]
    public async Task Ldaps_with_the_CA_file_configured_reads_the_directory()
    {
        var snapshot = await _tree.Source(s => { s.Url = _server.LdapsUrl; s.CaCertificatePath = _server.CaCertificatePath; })
            .ReadAsync(null, CancellationToken.None);

        Assert.Equal("adele", Assert.Single(snapshot.Users).Profile.UserName);
    }

    [Fact]
    public async Task StartTls_with_the_CA_directory_configured_reads_the_directory()
    {
        var directory = Path.GetDirectoryName(_server.CaCertificatePath)!;
        var trusted = Path.Combine(directory, "trusted");
        System.IO.Directory.CreateDirectory(trusted);
        File.Copy(_server.CaCertificatePath, Path.Combine(trusted, "test-ca.pem"), overwrite: true);

        var snapshot = await _tree.Source(s => { s.StartTls = true; s.TrustedCertificatesDirectory = trusted; })
            .ReadAsync(null, CancellationToken.None);

        Assert.Equal("adele", Assert.Single(snapshot.Users).Profile.UserName);
    }

    [Fact]
    public async Task Ldaps_without_trusting_the_CA_fails_the_read()
    {
        var error = await Assert.ThrowsAsync<DirectoryReadException>(
            () => _tree.Source(s => s.Url = _server.LdapsUrl).ReadAsync(null, CancellationToken.None));

        Assert.Contains("corp-ldap", error.Message);
    }

    [Fact]
    public async Task StartTls_without_trusting_the_CA_fails_the_read_instead_of_going_on_in_clear_text()
    {
        await Assert.ThrowsAsync<DirectoryReadException>(
            () => _tree.Source(s => s.StartTls = true).ReadAsync(null, CancellationToken.None));
    }
}

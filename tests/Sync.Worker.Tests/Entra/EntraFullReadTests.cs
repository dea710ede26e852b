using System.Text.Json;
using ScimBridge.Model.Reconcile;
using ScimBridge.Model.Users;
using ScimBridge.Sync.Sources.Entra;

namespace ScimBridge.Sync.Tests.Entra;

public sealed class EntraFullReadTests : IDisposable
{
    private readonly GraphStub _graph = new();

    public void Dispose() => _graph.Dispose();

    [Fact]
    public async Task First_run_signs_in_with_the_client_secret_and_sends_the_token_to_Graph()
    {
        _graph.StubLatestDeltaLinks();
        _graph.Get("/users", GraphJson.Page(_graph.GraphRoot, "users", [GraphJson.User("u-1", "adele@contoso.com", "Adele", "Vance")]));
        _graph.Get("/groups", GraphJson.Page(_graph.GraphRoot, "groups", []));
        using var source = _graph.CreateSource();

        var snapshot = await source.ReadAsync(null, CancellationToken.None);

        Assert.Equal("adele@contoso.com", Assert.Single(snapshot.Users).Profile.UserName);
        var tokenRequest = Assert.Single(_graph.TokenRequests()).RequestMessage;
        var form = tokenRequest.Body!;
        Assert.Contains("grant_type=client_credentials", form);
        Assert.Contains($"client_id={GraphStub.ClientId}", form);
        Assert.Contains("client_secret=", form);
        Assert.Contains(Uri.EscapeDataString(new Uri(_graph.Root).GetLeftPart(UriPartial.Authority) + "/.default"), form);
        // Every Graph stub demands the bearer token, so reaching them proves it was sent.
        Assert.All(_graph.RequestsTo("/*"), e => Assert.Equal($"Bearer {GraphStub.AccessToken}", e.RequestMessage.Headers!["Authorization"][0]));
    }

    [Fact]
    public async Task Users_on_three_pages_are_all_returned_as_a_full_read()
    {
        _graph.StubLatestDeltaLinks();
        _graph.Get("/users", GraphJson.Page(_graph.GraphRoot, "users",
            [GraphJson.User("u-1", "adele@contoso.com", "Adele", "Vance", mail: "Adele.Vance@contoso.com", jobTitle: "Retail Manager",
                department: "Retail", employeeId: "1001", mobilePhone: "+1 425 555 0101", businessPhones: ["+1 425 555 0109"],
                preferredLanguage: "en-US", companyName: "Contoso"),
             GraphJson.User("u-2", "alex@contoso.com", "Alex", "Wilber")],
            nextLink: $"{_graph.GraphRoot}/users?$skiptoken=page-2"));
        _graph.Get("/users", GraphJson.Page(_graph.GraphRoot, "users",
            [GraphJson.User("u-3", "diego@contoso.com", "Diego", "Siciliani"), GraphJson.User("u-4", "grady@contoso.com", "Grady", "Archie")],
            nextLink: $"{_graph.GraphRoot}/users?$skiptoken=page-3"), ("$skiptoken", "page-2"));
        _graph.Get("/users", GraphJson.Page(_graph.GraphRoot, "users",
            [GraphJson.User("u-5", "isaiah@contoso.com", "Isaiah", "Langer", accountEnabled: false)]), ("$skiptoken", "page-3"));
        _graph.Get("/groups", GraphJson.Page(_graph.GraphRoot, "groups", []));
        using var source = _graph.CreateSource();

        var snapshot = await source.ReadAsync(null, CancellationToken.None);

        Assert.True(snapshot.IsFull);
        Assert.Equal(["u-1", "u-2", "u-3", "u-4", "u-5"], snapshot.Users.Select(u => u.Key));
        Assert.Equal(3, _graph.RequestsTo("/users").Count);
        var first = _graph.RequestsTo("/users")[0].RequestMessage;
        Assert.Equal("999", first.Query!["$top"][0]);
        Assert.Contains("employeeId", first.Query!["$select"]);

        var adele = snapshot.Users[0];
        Assert.True(adele.Enabled);
        Assert.Equal(new PersonName("Adele", "Vance"), adele.Profile.Name);
        Assert.Equal("Adele Vance", adele.Profile.DisplayName);
        Assert.Equal([new EmailAddress("Adele.Vance@contoso.com", "work", true)], adele.Profile.Emails);
        Assert.Equal([new PhoneNumber("+1 425 555 0109", "work"), new PhoneNumber("+1 425 555 0101", "mobile")], adele.Profile.PhoneNumbers);
        Assert.Equal("Retail Manager", adele.Profile.Title);
        Assert.Equal("1001", adele.Profile.Enterprise.EmployeeNumber);
        Assert.Equal("Retail", adele.Profile.Enterprise.Department);
        Assert.Equal("en-US", adele.Profile.PreferredLanguage);
        Assert.Equal("Contoso", adele.Profile.Platform.CompanyName);
        var isaiah = snapshot.Users[4];
        Assert.False(isaiah.Enabled);
        Assert.False(isaiah.Profile.Active);
    }

    [Fact]
    public async Task Group_members_on_several_pages_are_split_into_users_and_nested_groups()
    {
        _graph.StubLatestDeltaLinks();
        _graph.Get("/users", GraphJson.Page(_graph.GraphRoot, "users", [GraphJson.User("u-1", "adele@contoso.com")]));
        _graph.Get("/groups", GraphJson.Page(_graph.GraphRoot, "groups",
            [GraphJson.Group("g-sales", "Sales"), GraphJson.Group("g-emea", "Sales EMEA")]));
        _graph.Get("/groups/g-sales/members", GraphJson.Page(_graph.GraphRoot, "directoryObjects",
            [GraphJson.DirectoryObject("user", "u-1"), GraphJson.DirectoryObject("group", "g-emea"), GraphJson.DirectoryObject("device", "d-1")],
            nextLink: $"{_graph.GraphRoot}/groups/g-sales/members?$skiptoken=m-2"));
        _graph.Get("/groups/g-sales/members", GraphJson.Page(_graph.GraphRoot, "directoryObjects",
            [GraphJson.DirectoryObject("user", "u-2"), GraphJson.DirectoryObject("servicePrincipal", "sp-1")]), ("$skiptoken", "m-2"));
        _graph.Get("/groups/g-emea/members", GraphJson.Page(_graph.GraphRoot, "directoryObjects", [GraphJson.DirectoryObject("user", "u-3")]));
        using var source = _graph.CreateSource();

        var snapshot = await source.ReadAsync(null, CancellationToken.None);

        var sales = snapshot.Groups.Single(g => g.Key == "g-sales");
        Assert.Equal("Sales", sales.DisplayName);
        Assert.True(sales.MembersAreComplete);
        Assert.Equal(["u-1", "u-2"], sales.MemberUserKeys);
        Assert.Equal(["g-emea"], sales.MemberGroupKeys);
        var emea = snapshot.Groups.Single(g => g.Key == "g-emea");
        Assert.Equal(["u-3"], emea.MemberUserKeys);
        Assert.Empty(emea.MemberGroupKeys);
        Assert.Equal(2, _graph.RequestsTo("/groups/g-sales/members").Count);
    }

    [Fact]
    public async Task First_run_returns_delta_state_with_both_delta_links()
    {
        _graph.StubLatestDeltaLinks("users-start", "groups-start");
        _graph.Get("/users", GraphJson.Page(_graph.GraphRoot, "users", []));
        _graph.Get("/groups", GraphJson.Page(_graph.GraphRoot, "groups", []));
        using var source = _graph.CreateSource();

        var snapshot = await source.ReadAsync(null, CancellationToken.None);

        Assert.NotNull(snapshot.NextDeltaState);
        using var state = JsonDocument.Parse(snapshot.NextDeltaState);
        Assert.EndsWith("$deltatoken=users-start", state.RootElement.GetProperty("users").GetString());
        Assert.EndsWith("$deltatoken=groups-start", state.RootElement.GetProperty("groups").GetString());
    }

    [Fact]
    public async Task A_configured_user_filter_reads_in_full_without_delta_state()
    {
        _graph.Get("/users", GraphJson.Page(_graph.GraphRoot, "users", [GraphJson.User("u-1", "adele@contoso.com")]));
        _graph.Get("/groups", GraphJson.Page(_graph.GraphRoot, "groups", []));
        using var source = _graph.CreateSource(s => s.UserFilter = "accountEnabled eq true");

        var snapshot = await source.ReadAsync(null, CancellationToken.None);

        Assert.True(snapshot.IsFull);
        Assert.Null(snapshot.NextDeltaState);
        var request = Assert.Single(_graph.RequestsTo("/users")).RequestMessage;
        Assert.Equal("accountEnabled eq true", request.Query!["$filter"][0]);
        Assert.Equal("eventual", request.Headers!["ConsistencyLevel"][0]);
        Assert.Empty(_graph.RequestsTo("/users/delta*"));
    }

    [Fact]
    public async Task Configured_group_ids_limit_the_groups_read()
    {
        _graph.StubLatestDeltaLinks();
        _graph.Get("/users", GraphJson.Page(_graph.GraphRoot, "users", []));
        _graph.Get("/groups/6b1d6e8c-1111-4d3a-9f55-0c3b2a1d0e01", GraphJson.Group("6b1d6e8c-1111-4d3a-9f55-0c3b2a1d0e01", "Support"));
        _graph.Get("/groups/6b1d6e8c-1111-4d3a-9f55-0c3b2a1d0e01/members",
            GraphJson.Page(_graph.GraphRoot, "directoryObjects", [GraphJson.DirectoryObject("user", "u-9")]));
        using var source = _graph.CreateSource(s => s.GroupIds = ["6b1d6e8c-1111-4d3a-9f55-0c3b2a1d0e01"]);

        var snapshot = await source.ReadAsync(null, CancellationToken.None);

        var group = Assert.Single(snapshot.Groups);
        Assert.Equal("Support", group.DisplayName);
        Assert.Equal(["u-9"], group.MemberUserKeys);
        Assert.Empty(_graph.RequestsTo("/groups"));
    }

    [Fact]
    public async Task Certificate_sign_in_sends_a_signed_client_assertion_instead_of_a_secret()
    {
        var pfx = Path.Combine(Path.GetTempPath(), $"entra-app-{Guid.NewGuid():N}.pfx");
        await File.WriteAllBytesAsync(pfx, LocalhostCertificate.Instance.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pfx, "pfx-pass"));
        try
        {
            _graph.StubLatestDeltaLinks();
            _graph.Get("/users", GraphJson.Page(_graph.GraphRoot, "users", [GraphJson.User("u-1", "adele@contoso.com")]));
            _graph.Get("/groups", GraphJson.Page(_graph.GraphRoot, "groups", []));
            using var source = _graph.CreateSource(s =>
            {
                s.ClientSecret = null;
                s.CertificatePath = pfx;
                s.CertificatePassword = "pfx-pass";
            });

            var snapshot = await source.ReadAsync(null, CancellationToken.None);

            Assert.Single(snapshot.Users);
            var form = Assert.Single(_graph.TokenRequests()).RequestMessage.Body!;
            Assert.Contains("client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer", form);
            Assert.Contains("client_assertion=", form);
            Assert.DoesNotContain("client_secret=", form);
        }
        finally
        {
            File.Delete(pfx);
        }
    }

    [Fact]
    public async Task A_configured_scope_is_the_one_the_sign_in_asks_for()
    {
        _graph.StubLatestDeltaLinks();
        _graph.Get("/users", GraphJson.Page(_graph.GraphRoot, "users", [GraphJson.User("u-1", "adele@contoso.com")]));
        _graph.Get("/groups", GraphJson.Page(_graph.GraphRoot, "groups", []));
        using var source = _graph.CreateSource(s => s.Scope = "https://graph.microsoft.us/.default");

        await source.ReadAsync(null, CancellationToken.None);

        var form = Assert.Single(_graph.TokenRequests()).RequestMessage.Body!;
        Assert.Contains("scope=" + Uri.EscapeDataString("https://graph.microsoft.us/.default"), form, StringComparison.Ordinal);
        Assert.DoesNotContain(Uri.EscapeDataString(_graph.Root), form, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_CA_certificate_file_makes_a_Graph_with_a_private_certificate_trusted_and_without_it_the_read_fails()
    {
        var ca = Path.Combine(Path.GetTempPath(), $"graph-ca-{Guid.NewGuid():N}.pem");
        await File.WriteAllTextAsync(ca, LocalhostCertificate.Instance.ExportCertificatePem());
        try
        {
            _graph.StubLatestDeltaLinks();
            _graph.Get("/users", GraphJson.Page(_graph.GraphRoot, "users", [GraphJson.User("u-1", "adele@contoso.com")]));
            _graph.Get("/groups", GraphJson.Page(_graph.GraphRoot, "groups", []));
            // No test transport: the source's own HTTP stack, for sign-in and Graph alike.
            EntraDirectorySource Source(string? caFile) => new(
                new EntraSourceSettings
                {
                    Name = "entra-test", TenantId = GraphStub.TenantId, ClientId = GraphStub.ClientId, ClientSecret = GraphStub.ClientSecret,
                    Authority = _graph.Root, GraphBaseUrl = _graph.GraphRoot, CaCertificatePath = caFile,
                },
                Microsoft.Extensions.Logging.Abstractions.NullLogger<EntraDirectorySource>.Instance, TimeProvider.System);
            using var trusting = Source(ca);
            using var untrusting = Source(null);

            var snapshot = await trusting.ReadAsync(null, CancellationToken.None);
            var failure = await Assert.ThrowsAsync<DirectoryReadException>(() => untrusting.ReadAsync(null, CancellationToken.None));

            Assert.Equal("adele@contoso.com", Assert.Single(snapshot.Users).Profile.UserName);
            Assert.Contains(_graph.Root, failure.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(ca);
        }
    }
}

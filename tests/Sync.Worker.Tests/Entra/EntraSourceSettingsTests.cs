using ScimBridge.Sync.Sources.Entra;

namespace ScimBridge.Sync.Tests.Entra;

public sealed class EntraSourceSettingsTests
{
    private static EntraSourceSettings Valid() => new()
    {
        Name = "entra",
        TenantId = "contoso.onmicrosoft.com",
        ClientId = "4a1f2e0b-93c8-4d55-9a37-3e7d2c81b6aa",
        ClientSecret = "secret",
    };

    [Fact]
    public void Settings_with_a_client_secret_and_defaults_are_valid()
    {
        var settings = Valid();

        Assert.Empty(EntraSourceSettings.Validate(settings));
        Assert.Equal("https://login.microsoftonline.com", settings.Authority);
        Assert.Equal("https://graph.microsoft.com/v1.0", settings.GraphBaseUrl);
        Assert.Equal(999, settings.PageSize);
    }

    [Fact]
    public void Missing_tenant_and_non_guid_client_id_are_reported()
    {
        var settings = Valid();
        settings.TenantId = "";
        settings.ClientId = "my-app";

        var problems = EntraSourceSettings.Validate(settings);

        Assert.Contains(problems, p => p.Contains("TenantId", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("ClientId", StringComparison.Ordinal));
    }

    [Fact]
    public void Secret_and_certificate_together_or_neither_are_reported()
    {
        var both = Valid();
        both.CertificatePath = typeof(EntraSourceSettingsTests).Assembly.Location;
        var neither = Valid();
        neither.ClientSecret = null;

        Assert.Contains(EntraSourceSettings.Validate(both), p => p.Contains("exactly one", StringComparison.Ordinal));
        Assert.Contains(EntraSourceSettings.Validate(neither), p => p.Contains("exactly one", StringComparison.Ordinal));
    }

    [Fact]
    public void Missing_certificate_file_is_reported()
    {
        var settings = Valid();
        settings.ClientSecret = null;
        settings.CertificatePath = "/nonexistent/app.pfx";

        Assert.Contains(EntraSourceSettings.Validate(settings), p => p.Contains("does not exist", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("http://login.microsoftonline.com", "https://graph.microsoft.com/v1.0", "Authority")]
    [InlineData("https://login.microsoftonline.com", "graph.microsoft.com", "GraphBaseUrl")]
    public void Non_https_endpoints_are_reported(string authority, string graph, string expected)
    {
        var settings = Valid();
        settings.Authority = authority;
        settings.GraphBaseUrl = graph;

        Assert.Contains(EntraSourceSettings.Validate(settings), p => p.Contains(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1000)]
    public void Page_size_outside_graph_limits_is_reported(int pageSize)
    {
        var settings = Valid();
        settings.PageSize = pageSize;

        Assert.Contains(EntraSourceSettings.Validate(settings), p => p.Contains("PageSize", StringComparison.Ordinal));
    }

    [Fact]
    public void Group_ids_must_be_object_ids()
    {
        var settings = Valid();
        settings.GroupIds = ["Sales"];

        Assert.Contains(EntraSourceSettings.Validate(settings), p => p.Contains("GroupIds", StringComparison.Ordinal));
    }

    [Fact]
    public void Problems_never_echo_the_secret()
    {
        var settings = Valid();
        settings.ClientSecret = "do-not-print-me";
        settings.CertificatePath = "/nonexistent/app.pfx";

        Assert.All(EntraSourceSettings.Validate(settings), p => Assert.DoesNotContain("do-not-print-me", p, StringComparison.Ordinal));
    }
}

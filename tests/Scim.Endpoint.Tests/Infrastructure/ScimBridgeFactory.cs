using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using ScimBridge.Model.Organizations;
using ScimBridge.Model.Persistence;

namespace ScimBridge.Scim.Tests.Infrastructure;

/// <summary>
/// The real service over HTTP on a fresh SQLite file per factory, or, where a subclass says <see cref="OnPostgres"/>,
/// on a fresh database of its own on the test run's PostgreSQL server.
/// </summary>
public class ScimBridgeFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "scimbridge-tests", Guid.NewGuid().ToString("N"));
    private PostgresDatabase? _postgres;

    public ScimBridgeFactory()
    {
        System.IO.Directory.CreateDirectory(_folder);
    }

    public string DataFolder => _folder;

    /// <summary>Extra configuration a test class needs, applied on top of the defaults.</summary>
    protected virtual IDictionary<string, string?> Settings => new Dictionary<string, string?>();

    /// <summary>True to run the service on PostgreSQL (the <c>Postgres</c> provider and its migrations) instead of SQLite.</summary>
    protected virtual bool OnPostgres => false;

    public async Task InitializeAsync()
    {
        if (OnPostgres)
        {
            _postgres = new PostgresDatabase();
            await _postgres.InitializeAsync();
        }
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        // The service goes first, while its database is still there to close its connections to.
        await DisposeAsync();
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        if (_postgres is not null)
        {
            builder.UseSetting("ScimBridge:Database:Provider", "Postgres");
            builder.UseSetting("ScimBridge:Database:ConnectionString", _postgres.ConnectionString);
        }
        else
        {
            builder.UseSetting("ScimBridge:Database:ConnectionString", $"Data Source={Path.Combine(_folder, "scimbridge.db")}");
        }

        builder.UseSetting("ScimBridge:Mappings:Path", Path.Combine(_folder, "mappings"));
        builder.UseSetting("ScimBridge:Scim:RequestsPerSecondPerOrganization", "0");
        builder.UseSetting("Serilog:MinimumLevel:Default", "Warning");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>Creates an organization and a SCIM token for it; returns a client that sends the token.</summary>
    public async Task<HttpClient> CreateOrganizationClientAsync(string slug, string clientName = "test-client")
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ScimBridgeDbContext>();
        var normalized = Organization.NormalizeSlug(slug);
        var organization = db.Organizations.FirstOrDefault(o => o.Slug == normalized);
        if (organization is null)
        {
            organization = new Organization { Slug = normalized, Name = normalized, CreatedAt = DateTimeOffset.UnixEpoch };
            db.Organizations.Add(organization);
        }

        var (token, secret) = ScimToken.Issue(organization.Id, clientName, DateTimeOffset.UnixEpoch);
        db.ScimTokens.Add(token);
        await db.SaveChangesAsync();

        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        return client;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            try
            {
                System.IO.Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
                // SQLite may still hold the file on some platforms; the temp folder is cleaned by the OS.
            }
        }
    }
}

/// <summary>The service on PostgreSQL: the same HTTP tests, against the provider that deployments outgrowing one machine use.</summary>
public sealed class PostgresScimBridgeFactory : ScimBridgeFactory
{
    protected override bool OnPostgres => true;
}

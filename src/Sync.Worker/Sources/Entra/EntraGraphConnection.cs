using System.Security.Cryptography.X509Certificates;
using Azure.Core;
using Azure.Identity;
using Microsoft.Graph;
using Microsoft.Kiota.Authentication.Azure;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware.Options;

namespace ScimBridge.Sync.Sources.Entra;

/// <summary>A signed-in Graph client for one source: app-only credential, Graph middleware and the HTTP client under it.</summary>
internal sealed class EntraGraphConnection : IDisposable
{
    /// <summary>Retries of a throttled (429) or unavailable (503/504) request; Retry-After is honoured, at most 180 s.</summary>
    internal const int MaxRetries = 3;

    private readonly HttpClient _httpClient;
    private readonly X509Certificate2? _certificate;

    private EntraGraphConnection(GraphServiceClient client, HttpClient httpClient, X509Certificate2? certificate)
    {
        Client = client;
        _httpClient = httpClient;
        _certificate = certificate;
    }

    public GraphServiceClient Client { get; }

    public static EntraGraphConnection Create(EntraSourceSettings settings, EntraSourceTransport? transport)
    {
        var graphBase = new Uri(settings.GraphBaseUrl.TrimEnd('/'), UriKind.Absolute);
        X509Certificate2? certificate = null;
        var authority = PrivateAuthority.FromSettings(settings);
        var credentialTransport = transport?.CredentialTransport
            ?? (authority is null ? null : new Azure.Core.Pipeline.HttpClientTransport(authority.CreateHandler()));
        var credential = transport?.Credential ?? CreateCredential(settings, credentialTransport, out certificate);

        // App-only sign-in asks for the static permissions of the app registration on the Graph resource, unless configured.
        var scope = settings.EffectiveScope;
        // The provider attaches a token only to these hosts; without the configured one (e.g. 127.0.0.1 in tests) no token is sent.
        var authProvider = new AzureIdentityAuthenticationProvider(credential, [graphBase.Host], null, true, scope);

        var handlers = GraphClientFactory.CreateDefaultHandlers();
        for (var i = 0; i < handlers.Count; i++)
        {
            if (handlers[i] is RetryHandler)
            {
                handlers[i] = new RetryHandler(new RetryHandlerOption { MaxRetry = MaxRetries });
            }
        }
        handlers.Add(new AttemptTimeoutHandler(TimeSpan.FromSeconds(settings.RequestTimeoutSeconds)));
        var finalHandler = transport?.GraphHandler ?? authority?.CreateHandler();
        var httpClient = GraphClientFactory.Create(handlers, finalHandler: finalHandler, disposeHandler: transport?.GraphHandler is null);
        httpClient.Timeout = Timeout.InfiniteTimeSpan;
        var client = new GraphServiceClient(httpClient, authProvider, graphBase.ToString().TrimEnd('/'));
        return new EntraGraphConnection(client, httpClient, certificate);
    }

    private static TokenCredential CreateCredential(
        EntraSourceSettings settings, Azure.Core.Pipeline.HttpPipelineTransport? credentialTransport, out X509Certificate2? certificate)
    {
        certificate = null;
        var authority = new Uri(settings.Authority, UriKind.Absolute);
        if (!string.IsNullOrWhiteSpace(settings.CertificatePath))
        {
            var options = new ClientCertificateCredentialOptions { AuthorityHost = authority, DisableInstanceDiscovery = IsCustomAuthority(authority) };
            if (credentialTransport is not null)
            {
                options.Transport = credentialTransport;
            }
            if (string.IsNullOrEmpty(settings.CertificatePassword))
            {
                // Azure.Identity reads PEM and password-less PFX files itself.
                return new ClientCertificateCredential(settings.TenantId, settings.ClientId, settings.CertificatePath, options);
            }
            certificate = X509CertificateLoader.LoadPkcs12FromFile(settings.CertificatePath, settings.CertificatePassword);
            return new ClientCertificateCredential(settings.TenantId, settings.ClientId, certificate, options);
        }

        var secretOptions = new ClientSecretCredentialOptions { AuthorityHost = authority, DisableInstanceDiscovery = IsCustomAuthority(authority) };
        if (credentialTransport is not null)
        {
            secretOptions.Transport = credentialTransport;
        }
        return new ClientSecretCredential(settings.TenantId, settings.ClientId, settings.ClientSecret, secretOptions);
    }

    /// <summary>
    /// Instance discovery asks the public cloud whether an authority is known; a local or private authority is not, so
    /// discovery is skipped for anything but Microsoft's well-known sign-in hosts.
    /// </summary>
    private static bool IsCustomAuthority(Uri authority) =>
        authority.Host is not ("login.microsoftonline.com" or "login.microsoftonline.us" or "login.partner.microsoftonline.cn"
            or "login.chinacloudapi.cn" or "login.microsoftonline.de");

    public void Dispose()
    {
        _httpClient.Dispose();
        _certificate?.Dispose();
    }
}

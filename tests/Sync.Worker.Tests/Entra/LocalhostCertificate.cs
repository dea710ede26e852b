using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ScimBridge.Sync.Tests.Entra;

/// <summary>
/// A self-signed server certificate for localhost/127.0.0.1, made once per test run: WireMock serves https with it,
/// and test clients trust exactly this certificate (by thumbprint), nothing else.
/// </summary>
public static class LocalhostCertificate
{
    private static readonly Lazy<X509Certificate2> Certificate = new(Create);

    public static X509Certificate2 Instance => Certificate.Value;

    public static bool IsTrusted(X509Certificate2? presented) =>
        presented is not null && presented.Thumbprint == Instance.Thumbprint;

    private static X509Certificate2 Create()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        var notBefore = TimeProvider.System.GetUtcNow().AddDays(-1);
        using var created = request.CreateSelfSigned(notBefore, notBefore.AddDays(30));
        // Round-trip through PKCS#12 so the private key is usable by the TLS stack on every platform.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), password: null);
    }
}

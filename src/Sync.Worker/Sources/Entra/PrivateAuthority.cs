using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ScimBridge.Sync.Sources.Entra;

/// <summary>
/// CA certificates from <c>CaCertificatePath</c> trusted besides the system's: a server certificate the system store
/// accepts stays accepted; one that fails only because its chain ends at an unknown root is accepted when the chain
/// built on these CAs holds. Host name and validity checks stay as they are.
/// </summary>
internal sealed class PrivateAuthority(X509Certificate2Collection roots)
{
    public static PrivateAuthority? FromSettings(EntraSourceSettings settings) =>
        string.IsNullOrWhiteSpace(settings.CaCertificatePath) ? null
            : new PrivateAuthority(TryLoad(settings.CaCertificatePath, out var reason) ?? throw new InvalidOperationException(reason));

    /// <summary>The certificates of a PEM file, or null and why not.</summary>
    public static X509Certificate2Collection? TryLoad(string path, out string reason)
    {
        var collection = new X509Certificate2Collection();
        try
        {
            collection.ImportFromPemFile(path);
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException)
        {
            reason = $"cannot be read as PEM certificates ({ex.Message})";
            return null;
        }
        if (collection.Count == 0)
        {
            reason = "holds no PEM certificate";
            return null;
        }
        reason = "";
        return collection;
    }

    public HttpMessageHandler CreateHandler() => new SocketsHttpHandler
    {
        SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = Validate },
    };

    private bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }
        if (errors != SslPolicyErrors.RemoteCertificateChainErrors || certificate is null)
        {
            return false;
        }
        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(roots);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            foreach (var element in chain.ChainElements)
            {
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }
        using var presented = new X509Certificate2(certificate);
        return custom.Build(presented);
    }
}

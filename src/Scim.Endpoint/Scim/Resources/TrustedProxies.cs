using System.Net;
using Microsoft.Extensions.Options;
using ScimBridge.Scim.Options;

namespace ScimBridge.Scim.Resources;

/// <summary>
/// The reverse proxies of <see cref="ScimOptions.TrustedProxies"/>, parsed once. Only a request arriving from one of them
/// may say, by <c>X-Forwarded-Proto</c> and <c>X-Forwarded-Host</c>, under which public URL the service is reached.
/// </summary>
public sealed class TrustedProxies(IOptions<ScimOptions> options)
{
    private readonly IReadOnlyList<IPNetwork> _networks = [.. options.Value.TrustedProxies.Select(e => TryParse(e) ?? throw new InvalidOperationException($"'{e}' is not an IP address or CIDR range."))];

    public bool Trusts(IPAddress? address)
    {
        if (address is null || _networks.Count == 0)
        {
            return false;
        }

        var ip = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return _networks.Any(n => n.Contains(ip));
    }

    /// <summary>An address (<c>10.0.0.5</c>, <c>::1</c>) or a range (<c>10.0.0.0/8</c>); null when it is neither.</summary>
    public static IPNetwork? TryParse(string entry)
    {
        var text = entry.Trim();
        if (IPNetwork.TryParse(text, out var network))
        {
            return network;
        }

        return IPAddress.TryParse(text, out var address)
            ? new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128)
            : null;
    }
}

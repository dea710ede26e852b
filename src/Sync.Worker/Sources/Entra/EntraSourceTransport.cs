using Azure.Core;
using Azure.Core.Pipeline;

namespace ScimBridge.Sync.Sources.Entra;

/// <summary>
/// Replaceable network pieces of an <see cref="EntraDirectorySource"/>. Production leaves all of them null; tests point
/// them at a local Graph stand-in (e.g. a handler that accepts its self-signed certificate).
/// </summary>
public sealed class EntraSourceTransport
{
    /// <summary>Innermost handler under the Graph middleware (retry, redirect, compression).</summary>
    public HttpMessageHandler? GraphHandler { get; init; }

    /// <summary>Transport the sign-in credential uses to reach the token endpoint.</summary>
    public HttpPipelineTransport? CredentialTransport { get; init; }

    /// <summary>A ready credential used instead of the client secret or certificate from the settings.</summary>
    public TokenCredential? Credential { get; init; }
}

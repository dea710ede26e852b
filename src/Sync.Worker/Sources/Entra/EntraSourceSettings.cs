namespace ScimBridge.Sync.Sources.Entra;

/// <summary>
/// Connection and scope of one Entra ID (Microsoft Graph) source. Flat keys (TenantId, ClientId, ClientSecret, ...)
/// match the entries of <c>ScimBridge:Sync:Sources[i]</c>.
/// </summary>
public sealed class EntraSourceSettings
{
    public const string DefaultAuthority = "https://login.microsoftonline.com";
    public const string DefaultGraphBaseUrl = "https://graph.microsoft.com/v1.0";

    /// <summary>Graph's own ceiling for <c>$top</c> on users, groups and members.</summary>
    public const int MaxPageSize = 999;

    /// <summary>The configured source name; also the ManagedBy of the users it creates.</summary>
    public string Name { get; set; } = "entra";

    /// <summary>Directory (tenant) id or verified domain.</summary>
    public string TenantId { get; set; } = "";

    /// <summary>Application (client) id of the app registration.</summary>
    public string ClientId { get; set; } = "";

    /// <summary>Client secret; leave empty when signing in with a certificate.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>PFX or PEM file with the app's certificate and private key, for certificate sign-in.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>Password of the PFX file in <see cref="CertificatePath"/>, if it has one.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>Sign-in authority host; change it for sovereign clouds (e.g. https://login.microsoftonline.us).</summary>
    public string Authority { get; set; } = DefaultAuthority;

    /// <summary>Graph root including the version (e.g. https://graph.microsoft.us/v1.0 for US Government).</summary>
    public string GraphBaseUrl { get; set; } = DefaultGraphBaseUrl;

    /// <summary>
    /// Token scope the app signs in for; default: the Graph URL's origin with <c>/.default</c>
    /// (<c>https://graph.microsoft.com/.default</c>), i.e. the app registration's static permissions.
    /// </summary>
    public string? Scope { get; set; }

    /// <summary>
    /// PEM file of one or more CA certificates trusted, besides the system's, for Graph and the sign-in authority: a
    /// private authority, a TLS-inspecting proxy, a test server.
    /// </summary>
    public string? CaCertificatePath { get; set; }

    /// <summary>The scope in effect: <see cref="Scope"/>, or the one derived from <see cref="GraphBaseUrl"/>.</summary>
    public string EffectiveScope => !string.IsNullOrWhiteSpace(Scope)
        ? Scope.Trim()
        : new Uri(GraphBaseUrl.TrimEnd('/'), UriKind.Absolute).GetLeftPart(UriPartial.Authority) + "/.default";

    /// <summary>Optional OData <c>$filter</c> for <c>/users</c>. Graph delta cannot apply it, so every read is full.</summary>
    public string? UserFilter { get; set; }

    /// <summary>Optional OData <c>$filter</c> for <c>/groups</c>. Graph delta cannot apply it, so every read is full.</summary>
    public string? GroupFilter { get; set; }

    /// <summary>When set, only these groups (object ids) are read; users are read as configured by <see cref="UserFilter"/>.</summary>
    public IList<string> GroupIds { get; set; } = [];

    /// <summary>Page size (<c>$top</c>) for users, groups and members; at most 999.</summary>
    public int PageSize { get; set; } = MaxPageSize;

    /// <summary>Longest wait for one Graph answer, in seconds; throttling waits (Retry-After) come on top.</summary>
    public int RequestTimeoutSeconds { get; set; } = 100;

    /// <summary>True when incremental (delta) reads can honour the configured scope.</summary>
    public bool SupportsDelta => string.IsNullOrWhiteSpace(UserFilter) && string.IsNullOrWhiteSpace(GroupFilter);

    /// <summary>Cross-field checks for the options validator; empty when the settings are usable.</summary>
    public static IReadOnlyList<string> Validate(EntraSourceSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var problems = new List<string>();
        var label = string.IsNullOrWhiteSpace(settings.Name) ? "Entra source" : $"Entra source '{settings.Name}'";

        if (string.IsNullOrWhiteSpace(settings.Name))
        {
            problems.Add("Entra source: Name is required.");
        }
        if (string.IsNullOrWhiteSpace(settings.TenantId) || settings.TenantId.Any(c => char.IsWhiteSpace(c) || c == '/'))
        {
            problems.Add($"{label}: TenantId is required (directory id or verified domain, no spaces or slashes).");
        }
        if (!Guid.TryParse(settings.ClientId, out _))
        {
            problems.Add($"{label}: ClientId must be the application (client) id, a GUID.");
        }

        var hasSecret = !string.IsNullOrWhiteSpace(settings.ClientSecret);
        var hasCertificate = !string.IsNullOrWhiteSpace(settings.CertificatePath);
        if (hasSecret == hasCertificate)
        {
            problems.Add($"{label}: set exactly one of ClientSecret or CertificatePath.");
        }
        if (hasCertificate && !File.Exists(settings.CertificatePath))
        {
            problems.Add($"{label}: CertificatePath '{settings.CertificatePath}' does not exist.");
        }
        if (!hasCertificate && !string.IsNullOrEmpty(settings.CertificatePassword))
        {
            problems.Add($"{label}: CertificatePassword is set without CertificatePath.");
        }

        if (!IsHttpsUrl(settings.Authority))
        {
            problems.Add($"{label}: Authority must be an absolute https URL (e.g. {DefaultAuthority}).");
        }
        if (!IsHttpsUrl(settings.GraphBaseUrl))
        {
            problems.Add($"{label}: GraphBaseUrl must be an absolute https URL (e.g. {DefaultGraphBaseUrl}).");
        }
        if (settings.Scope is { } scope && (string.IsNullOrWhiteSpace(scope) || scope.Any(char.IsWhiteSpace)))
        {
            problems.Add($"{label}: Scope must be one scope without spaces (e.g. https://graph.microsoft.com/.default).");
        }
        if (!string.IsNullOrWhiteSpace(settings.CaCertificatePath))
        {
            if (!File.Exists(settings.CaCertificatePath))
            {
                problems.Add($"{label}: CaCertificatePath '{settings.CaCertificatePath}' does not exist.");
            }
            else if (PrivateAuthority.TryLoad(settings.CaCertificatePath, out var reason) is null)
            {
                problems.Add($"{label}: CaCertificatePath '{settings.CaCertificatePath}' {reason}.");
            }
        }
        if (settings.PageSize is < 1 or > MaxPageSize)
        {
            problems.Add($"{label}: PageSize must be between 1 and {MaxPageSize}.");
        }
        if (settings.RequestTimeoutSeconds is < 1 or > 600)
        {
            problems.Add($"{label}: RequestTimeoutSeconds must be between 1 and 600.");
        }
        if (settings.GroupIds.Any(id => !Guid.TryParse(id, out _)))
        {
            problems.Add($"{label}: every entry of GroupIds must be a group object id (GUID).");
        }
        return problems;
    }

    private static bool IsHttpsUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps;
}

namespace ScimBridge.Sync.Sources.Ldap;

/// <summary>Which directory server a source talks to; it picks the default filters and attributes.</summary>
public enum LdapServerKind
{
    OpenLdap,
    ActiveDirectory,
}

/// <summary>
/// Connection and scope of one LDAP / Active Directory source. Flat keys (Url, BindDn, UserBaseDn, ...) match the
/// entries of <c>ScimBridge:Sync:Sources[i]</c>; empty filters and attributes take the defaults of <see cref="ServerKind"/>.
/// </summary>
public sealed class LdapSourceSettings
{
    public const int MaxPageSize = 5000;

    /// <summary>The configured source name; also the ManagedBy of the users it creates.</summary>
    public string Name { get; set; } = "ldap";

    /// <summary><c>ldap://host[:389]</c> or <c>ldaps://host[:636]</c>.</summary>
    public string Url { get; set; } = "";

    /// <summary>Upgrade an <c>ldap://</c> connection with StartTLS before binding.</summary>
    public bool StartTls { get; set; }

    /// <summary>DN (or, for Active Directory, user principal name) to bind as; empty binds anonymously.</summary>
    public string? BindDn { get; set; }

    /// <summary>
    /// Bind password; better given as an environment variable (ScimBridge__Sync__Sources__0__Password) or as a file
    /// named by <c>PasswordFile</c> (resolved by <see cref="SecretFiles"/> before binding).
    /// </summary>
    public string? Password { get; set; }

    public LdapServerKind ServerKind { get; set; } = LdapServerKind.OpenLdap;

    /// <summary>Where users are searched (subtree). Either this or <see cref="UserBaseDns"/>, or both.</summary>
    public string? UserBaseDn { get; set; }

    public IList<string> UserBaseDns { get; set; } = [];

    /// <summary>Where groups are searched (subtree). Without any group base no memberships are read.</summary>
    public string? GroupBaseDn { get; set; }

    public IList<string> GroupBaseDns { get; set; } = [];

    /// <summary>LDAP filter selecting users; default <c>(objectClass=inetOrgPerson)</c> or AD's person users.</summary>
    public string? UserFilter { get; set; }

    /// <summary>LDAP filter selecting groups; default <c>(objectClass=groupOfNames)</c> or AD's <c>(objectClass=group)</c>.</summary>
    public string? GroupFilter { get; set; }

    /// <summary>
    /// OpenLDAP: users matching this filter as well are disabled, e.g. <c>(pwdAccountLockedTime=*)</c>.
    /// Active Directory needs none: <c>userAccountControl</c> bit 2 (ACCOUNTDISABLE) is read.
    /// </summary>
    public string? DisabledFilter { get; set; }

    public LdapAttributeMap Attributes { get; set; } = new();

    /// <summary>Entries per Simple Paged Results page.</summary>
    public int PageSize { get; set; } = 1000;

    /// <summary>Longest wait for connecting, binding and each answer from the server, in seconds.</summary>
    public int TimeoutSeconds { get; set; } = 60;

    /// <summary>Longest time a whole read may take, in seconds; past it the read fails and nothing is applied.</summary>
    public int ReadTimeoutSeconds { get; set; } = 900;

    /// <summary>Read only entries changed since the last run (no deletions seen); full runs are scheduled separately.</summary>
    public bool Incremental { get; set; } = true;

    /// <summary>Change marker for incremental reads: <c>modifyTimestamp</c> (OpenLDAP default) or <c>uSNChanged</c> (AD default).</summary>
    public string? IncrementalAttribute { get; set; }

    /// <summary>Incremental reads by timestamp look this far behind the last cursor, for changes made while the last read ran.</summary>
    public int IncrementalOverlapSeconds { get; set; } = 300;

    /// <summary>
    /// How incremental runs learn that users left: <see cref="LdapDepartureDetection.ScopeRead"/> (every server; the ids
    /// of every user in scope on every run) or, for Active Directory, <see cref="LdapDepartureDetection.DeletedObjects"/>
    /// or <see cref="LdapDepartureDetection.DirSync"/>, which read only what changed.
    /// </summary>
    public LdapDepartureDetection Departures { get; set; } = LdapDepartureDetection.ScopeRead;

    /// <summary>Active Directory: the domain searched for changed and deleted users; default the root DSE's defaultNamingContext.</summary>
    public string? DomainDn { get; set; }

    /// <summary>Directory of PEM CA certificates trusted for ldaps:// and StartTLS (libldap's TLS_CACERTDIR).</summary>
    public string? TrustedCertificatesDirectory { get; set; }

    /// <summary>One PEM file of CA certificates trusted for ldaps:// and StartTLS.</summary>
    public string? CaCertificatePath { get; set; }

    public IReadOnlyList<string> EffectiveUserBaseDns => Combine(UserBaseDn, UserBaseDns);

    public IReadOnlyList<string> EffectiveGroupBaseDns => Combine(GroupBaseDn, GroupBaseDns);

    public string EffectiveUserFilter => Pick(UserFilter, ServerKind == LdapServerKind.ActiveDirectory
        ? "(&(objectCategory=person)(objectClass=user))"
        : "(objectClass=inetOrgPerson)");

    public string EffectiveGroupFilter => Pick(GroupFilter, ServerKind == LdapServerKind.ActiveDirectory
        ? "(objectClass=group)"
        : "(objectClass=groupOfNames)");

    public string? EffectiveIncrementalAttribute => !Incremental
        ? null
        : Pick(IncrementalAttribute, ServerKind == LdapServerKind.ActiveDirectory ? "uSNChanged" : "modifyTimestamp");

    /// <summary>Cross-field checks for the options validator; empty when the settings are usable.</summary>
    public static IReadOnlyList<string> Validate(LdapSourceSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var problems = new List<string>();
        var label = string.IsNullOrWhiteSpace(settings.Name) ? "LDAP source" : $"LDAP source '{settings.Name}'";

        if (string.IsNullOrWhiteSpace(settings.Name))
        {
            problems.Add("LDAP source: Name is required.");
        }
        if (!LdapEndpoint.TryParse(settings.Url, out var endpoint))
        {
            problems.Add($"{label}: Url must be ldap://host[:port] or ldaps://host[:port].");
        }
        else if (settings.StartTls && endpoint.UseSsl)
        {
            problems.Add($"{label}: StartTls applies to ldap:// only; ldaps:// is already encrypted.");
        }
        if (string.IsNullOrWhiteSpace(settings.BindDn) && !string.IsNullOrEmpty(settings.Password))
        {
            problems.Add($"{label}: a password is set without BindDn.");
        }
        if (settings.EffectiveUserBaseDns.Count == 0)
        {
            problems.Add($"{label}: UserBaseDn (or UserBaseDns) is required.");
        }
        foreach (var (key, filter) in new[] {
            ("UserFilter", settings.UserFilter), ("GroupFilter", settings.GroupFilter), ("DisabledFilter", settings.DisabledFilter) })
        {
            if (!string.IsNullOrWhiteSpace(filter) && !LooksLikeFilter(filter))
            {
                problems.Add($"{label}: {key} must be an LDAP filter in parentheses, e.g. (objectClass=person).");
            }
        }
        if (settings.PageSize is < 1 or > MaxPageSize)
        {
            problems.Add($"{label}: PageSize must be between 1 and {MaxPageSize}.");
        }
        if (settings.TimeoutSeconds is < 1 or > 3600)
        {
            problems.Add($"{label}: TimeoutSeconds must be between 1 and 3600.");
        }
        if (settings.ReadTimeoutSeconds < settings.TimeoutSeconds || settings.ReadTimeoutSeconds > 86400)
        {
            problems.Add($"{label}: ReadTimeoutSeconds must be at least TimeoutSeconds and at most 86400.");
        }
        if (settings.IncrementalOverlapSeconds is < 0 or > 86400)
        {
            problems.Add($"{label}: IncrementalOverlapSeconds must be between 0 and 86400.");
        }
        if (settings.EffectiveIncrementalAttribute is { } marker && LdapCursor.KindOf(marker) is null)
        {
            problems.Add($"{label}: IncrementalAttribute must be modifyTimestamp, whenChanged or uSNChanged.");
        }
        if (settings.Departures != LdapDepartureDetection.ScopeRead)
        {
            if (settings.ServerKind != LdapServerKind.ActiveDirectory)
            {
                problems.Add($"{label}: Departures {settings.Departures} needs ServerKind ActiveDirectory; other servers use ScopeRead.");
            }
            if (settings.EffectiveIncrementalAttribute is null)
            {
                problems.Add($"{label}: Departures {settings.Departures} applies to incremental runs; with Incremental false every run is full.");
            }
        }
        if (!string.IsNullOrEmpty(settings.TrustedCertificatesDirectory) && !Directory.Exists(settings.TrustedCertificatesDirectory))
        {
            problems.Add($"{label}: TrustedCertificatesDirectory '{settings.TrustedCertificatesDirectory}' does not exist.");
        }
        if (!string.IsNullOrEmpty(settings.CaCertificatePath) && !File.Exists(settings.CaCertificatePath))
        {
            problems.Add($"{label}: CaCertificatePath '{settings.CaCertificatePath}' does not exist.");
        }
        problems.AddRange(settings.Attributes.Validate(label));
        return problems;
    }

    private static bool LooksLikeFilter(string filter)
    {
        var trimmed = filter.Trim();
        if (trimmed.Length < 3 || trimmed[0] != '(' || trimmed[^1] != ')')
        {
            return false;
        }
        var depth = 0;
        foreach (var c in trimmed)
        {
            depth += c switch { '(' => 1, ')' => -1, _ => 0 };
            if (depth < 0)
            {
                return false;
            }
        }
        return depth == 0;
    }

    private static string Pick(string? configured, string fallback) =>
        string.IsNullOrWhiteSpace(configured) ? fallback : configured.Trim();

    private static List<string> Combine(string? single, IEnumerable<string> many) =>
        new[] { single }.Concat(many)
            .Where(dn => !string.IsNullOrWhiteSpace(dn))
            .Select(dn => dn!.Trim())
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
}

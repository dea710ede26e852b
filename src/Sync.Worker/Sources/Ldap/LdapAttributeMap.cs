namespace ScimBridge.Sync.Sources.Ldap;

/// <summary>
/// Which LDAP attribute feeds which user or group field. Empty entries take the defaults of the source's
/// <see cref="LdapServerKind"/> (see <see cref="Resolve"/>).
/// </summary>
public sealed class LdapAttributeMap
{
    /// <summary>Stable id, the user's and group's key: <c>entryUUID</c> (OpenLDAP) or binary <c>objectGUID</c> (AD).</summary>
    public string? Id { get; set; }

    /// <summary>Login: <c>uid</c> (OpenLDAP) or <c>userPrincipalName</c> (AD; <c>sAMAccountName</c> also works).</summary>
    public string? UserName { get; set; }

    public string? Email { get; set; }
    public string? GivenName { get; set; }
    public string? Surname { get; set; }
    public string? DisplayName { get; set; }
    public string? Phone { get; set; }
    public string? EmployeeNumber { get; set; }

    /// <summary>Group name shown and used by mapping files: <c>cn</c>.</summary>
    public string? GroupName { get; set; }

    /// <summary>Group attribute listing member DNs: <c>member</c>.</summary>
    public string? Member { get; set; }

    /// <summary>The map with every empty entry replaced by the default of <paramref name="kind"/>.</summary>
    public LdapAttributes Resolve(LdapServerKind kind)
    {
        var ad = kind == LdapServerKind.ActiveDirectory;
        return new LdapAttributes(
            Id: Pick(Id, ad ? "objectGUID" : "entryUUID"),
            UserName: Pick(UserName, ad ? "userPrincipalName" : "uid"),
            Email: Pick(Email, "mail"),
            GivenName: Pick(GivenName, "givenName"),
            Surname: Pick(Surname, "sn"),
            DisplayName: Pick(DisplayName, "displayName"),
            Phone: Pick(Phone, "telephoneNumber"),
            EmployeeNumber: Pick(EmployeeNumber, ad ? "employeeID" : "employeeNumber"),
            GroupName: Pick(GroupName, "cn"),
            Member: Pick(Member, "member"),
            AccountControl: ad ? "userAccountControl" : null);
    }

    internal IEnumerable<string> Validate(string label)
    {
        var entries = new[] { Id, UserName, Email, GivenName, Surname, DisplayName, Phone, EmployeeNumber, GroupName, Member };
        if (entries.Any(e => !string.IsNullOrWhiteSpace(e) && !IsAttributeName(e.Trim())))
        {
            yield return $"{label}: every entry of Attributes must be a plain LDAP attribute name (letters, digits, '-').";
        }
    }

    private static bool IsAttributeName(string name) =>
        char.IsAsciiLetter(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');

    private static string Pick(string? configured, string fallback) =>
        string.IsNullOrWhiteSpace(configured) ? fallback : configured.Trim();
}

/// <summary>The attribute names a read uses, defaults applied.</summary>
public sealed record LdapAttributes(
    string Id,
    string UserName,
    string Email,
    string GivenName,
    string Surname,
    string DisplayName,
    string Phone,
    string EmployeeNumber,
    string GroupName,
    string Member,
    string? AccountControl)
{
    /// <summary>AD's objectGUID is 16 bytes; it becomes the usual GUID text form.</summary>
    public bool IdIsBinaryGuid => string.Equals(Id, "objectGUID", StringComparison.OrdinalIgnoreCase);
}

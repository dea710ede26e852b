using System.DirectoryServices.Protocols;
using ScimBridge.Model.Reconcile;
using ScimBridge.Model.Users;

namespace ScimBridge.Sync.Sources.Ldap;

/// <summary>LDAP entry → <see cref="SourceUser"/> and the attribute values the read needs, by the resolved attribute map.</summary>
internal sealed class LdapUserMapping(LdapAttributes attributes, string? incrementalAttribute)
{
    /// <summary>Active Directory's ACCOUNTDISABLE flag in <c>userAccountControl</c>.</summary>
    private const int AccountDisable = 0x2;

    public string[] UserAttributes { get; } = new[]
        {
            attributes.Id, attributes.UserName, attributes.Email, attributes.GivenName, attributes.Surname,
            attributes.DisplayName, attributes.Phone, attributes.EmployeeNumber, attributes.AccountControl, incrementalAttribute,
        }
        .OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase).ToArray();

    public string[] GroupAttributes { get; } = new[] { attributes.Id, attributes.GroupName, attributes.Member, incrementalAttribute }
        .OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase).ToArray();

    public string[] IdOnly { get; } = [attributes.Id];

    public SourceUser ToSourceUser(SearchResultEntry entry, bool disabledByFilter)
    {
        var key = KeyOf(entry);
        var userName = First(entry, attributes.UserName)
            ?? throw new DirectoryReadException($"User '{entry.DistinguishedName}' has no {attributes.UserName}; narrow UserFilter (e.g. ({attributes.UserName}=*)) or map another attribute.");
        var enabled = !disabledByFilter && !IsDisabledInActiveDirectory(entry);
        var mail = First(entry, attributes.Email);
        var phone = First(entry, attributes.Phone);
        var profile = new UserProfile
        {
            UserName = userName,
            ExternalId = key,
            Name = new PersonName(GivenName: First(entry, attributes.GivenName), FamilyName: First(entry, attributes.Surname)),
            DisplayName = First(entry, attributes.DisplayName),
            Active = enabled,
            Emails = mail is null ? [] : [new EmailAddress(mail, "work", Primary: true)],
            PhoneNumbers = phone is null ? [] : [new PhoneNumber(phone, "work")],
            Enterprise = new EnterpriseAttributes(EmployeeNumber: First(entry, attributes.EmployeeNumber)),
        };
        return new SourceUser(key, profile, enabled);
    }

    /// <summary>The entry's stable id: entryUUID as written, objectGUID (16 bytes) as a GUID string.</summary>
    public string KeyOf(SearchResultEntry entry) => KeyOf(entry.DistinguishedName, entry.Attributes[attributes.Id]);

    public string KeyOf(LdapObject entry) => KeyOf(entry.DistinguishedName, entry[attributes.Id]);

    private string KeyOf(string dn, DirectoryAttribute? attribute)
    {
        if (attribute is null || attribute.Count == 0)
        {
            throw new DirectoryReadException($"Entry '{dn}' has no {attributes.Id}; the bind account may not be allowed to read it.");
        }
        if (!attributes.IdIsBinaryGuid)
        {
            return ((string)attribute.GetValues(typeof(string))[0]).Trim();
        }
        var bytes = (byte[])attribute.GetValues(typeof(byte[]))[0];
        if (bytes.Length != 16)
        {
            throw new DirectoryReadException($"Entry '{dn}': {attributes.Id} is {bytes.Length} bytes, not a 16-byte GUID.");
        }
        return new Guid(bytes).ToString();
    }

    public string GroupNameOf(SearchResultEntry entry) => First(entry, attributes.GroupName) ?? entry.DistinguishedName;

    public static string? First(SearchResultEntry entry, string? name)
    {
        if (name is null || entry.Attributes[name] is not { Count: > 0 } attribute)
        {
            return null;
        }
        var value = ((string)attribute.GetValues(typeof(string))[0]).Trim();
        return value.Length == 0 ? null : value;
    }

    /// <summary>Every value of every attribute whose description starts with <paramref name="name"/> (plain or ranged).</summary>
    public static List<LdapValues> ValuesOf(SearchResultEntry entry, string name)
    {
        var found = new List<LdapValues>();
        foreach (DirectoryAttribute attribute in entry.Attributes.Values)
        {
            if (attribute.Name.Equals(name, StringComparison.OrdinalIgnoreCase)
                || attribute.Name.StartsWith(name + ";", StringComparison.OrdinalIgnoreCase))
            {
                found.Add(new LdapValues(attribute.Name, (string[])attribute.GetValues(typeof(string))));
            }
        }
        return found;
    }

    private bool IsDisabledInActiveDirectory(SearchResultEntry entry) =>
        attributes.AccountControl is { } name
        && int.TryParse(First(entry, name), out var flags)
        && (flags & AccountDisable) != 0;
}

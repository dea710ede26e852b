using System.DirectoryServices.Protocols;
using System.Text;
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

    /// <summary>
    /// The attribute names in lower case, for looking values up: a search result's attribute collection lowers every
    /// name it is asked for, which makes a new string (per entry and attribute) unless the name is lower case already.
    /// </summary>
    private readonly LdapAttributes _names = attributes with
    {
        Id = attributes.Id.ToLowerInvariant(),
        UserName = attributes.UserName.ToLowerInvariant(),
        Email = attributes.Email.ToLowerInvariant(),
        GivenName = attributes.GivenName.ToLowerInvariant(),
        Surname = attributes.Surname.ToLowerInvariant(),
        DisplayName = attributes.DisplayName.ToLowerInvariant(),
        Phone = attributes.Phone.ToLowerInvariant(),
        EmployeeNumber = attributes.EmployeeNumber.ToLowerInvariant(),
        GroupName = attributes.GroupName.ToLowerInvariant(),
        AccountControl = attributes.AccountControl?.ToLowerInvariant(),
    };

    public SourceUser ToSourceUser(SearchResultEntry entry, bool disabledByFilter)
    {
        var key = KeyOf(entry);
        var userName = First(entry, _names.UserName)
            ?? throw new DirectoryReadException($"User '{entry.DistinguishedName}' has no {attributes.UserName}; narrow UserFilter (e.g. ({attributes.UserName}=*)) or map another attribute.");
        var enabled = !disabledByFilter && !IsDisabledInActiveDirectory(entry);
        var mail = First(entry, _names.Email);
        var phone = First(entry, _names.Phone);
        var profile = new UserProfile
        {
            UserName = userName,
            ExternalId = key,
            Name = new PersonName(GivenName: First(entry, _names.GivenName), FamilyName: First(entry, _names.Surname)),
            DisplayName = First(entry, _names.DisplayName),
            Active = enabled,
            Emails = mail is null ? [] : [new EmailAddress(mail, "work", Primary: true)],
            PhoneNumbers = phone is null ? [] : [new PhoneNumber(phone, "work")],
            Enterprise = new EnterpriseAttributes(EmployeeNumber: First(entry, _names.EmployeeNumber)),
        };
        return new SourceUser(key, profile, enabled);
    }

    /// <summary>The entry's stable id: entryUUID as written, objectGUID (16 bytes) as a GUID string.</summary>
    public string KeyOf(SearchResultEntry entry) => KeyOf(entry.DistinguishedName, entry.Attributes[_names.Id]);

    public string KeyOf(LdapObject entry) => KeyOf(entry.DistinguishedName, entry[attributes.Id]);

    private string KeyOf(string dn, DirectoryAttribute? attribute)
    {
        if (attribute is null || attribute.Count == 0)
        {
            throw new DirectoryReadException($"Entry '{dn}' has no {attributes.Id}; the bind account may not be allowed to read it.");
        }
        if (!attributes.IdIsBinaryGuid)
        {
            return TextOf(attribute).Trim();
        }
        var bytes = (byte[])attribute.GetValues(typeof(byte[]))[0];
        if (bytes.Length != 16)
        {
            throw new DirectoryReadException($"Entry '{dn}': {attributes.Id} is {bytes.Length} bytes, not a 16-byte GUID.");
        }
        return new Guid(bytes).ToString();
    }

    /// <summary>The stable id of the entry <paramref name="dn"/> from the id attribute's first value as the server sent it (empty when missing).</summary>
    public string KeyOf(string dn, ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty)
        {
            throw new DirectoryReadException($"Entry '{dn}' has no {attributes.Id}; the bind account may not be allowed to read it.");
        }
        if (!attributes.IdIsBinaryGuid)
        {
            return Encoding.UTF8.GetString(value).Trim();
        }
        if (value.Length != 16)
        {
            throw new DirectoryReadException($"Entry '{dn}': {attributes.Id} is {value.Length} bytes, not a 16-byte GUID.");
        }
        return new Guid(value).ToString();
    }

    /// <summary>The first value as text: the search result keeps values as bytes, and only this one is decoded.</summary>
    private static string TextOf(DirectoryAttribute attribute) => attribute[0] switch
    {
        string text => text,
        byte[] bytes => Encoding.UTF8.GetString(bytes),
        var other => Convert.ToString(other, System.Globalization.CultureInfo.InvariantCulture) ?? "",
    };

    public string GroupNameOf(SearchResultEntry entry) => First(entry, _names.GroupName) ?? entry.DistinguishedName;

    public static string? First(SearchResultEntry entry, string? name)
    {
        if (name is null || entry.Attributes[name] is not { Count: > 0 } attribute)
        {
            return null;
        }
        var value = TextOf(attribute).Trim();
        return value.Length == 0 ? null : value;
    }

    /// <summary>
    /// The member values as the server sent them (UTF-8, no string made for each), one array per attribute
    /// description; null when they come in ranges (see <see cref="RangedAttributeReader"/>).
    /// </summary>
    public List<byte[][]>? PlainMemberValues(SearchResultEntry entry)
    {
        var found = new List<byte[][]>(1);
        foreach (DirectoryAttribute attribute in entry.Attributes.Values)
        {
            if (!IsDescriptionOf(attribute.Name, attributes.Member))
            {
                continue;
            }
            if (RangedAttributeReader.TryParseRange(attribute.Name, attributes.Member, out _, out _))
            {
                return null;
            }
            var values = attribute.GetValues(typeof(byte[]));
            found.Add(values as byte[][] ?? [.. values.Cast<byte[]>()]);
        }
        return found;
    }

    private static bool IsDescriptionOf(string description, string name) =>
        description.Equals(name, StringComparison.OrdinalIgnoreCase)
        || description.Length > name.Length && description[name.Length] == ';' && description.StartsWith(name, StringComparison.OrdinalIgnoreCase);

    /// <summary>Every value of every attribute whose description starts with <paramref name="name"/> (plain or ranged).</summary>
    public static List<LdapValues> ValuesOf(SearchResultEntry entry, string name)
    {
        var found = new List<LdapValues>();
        foreach (DirectoryAttribute attribute in entry.Attributes.Values)
        {
            if (IsDescriptionOf(attribute.Name, name))
            {
                found.Add(new LdapValues(attribute.Name, (string[])attribute.GetValues(typeof(string))));
            }
        }
        return found;
    }

    private bool IsDisabledInActiveDirectory(SearchResultEntry entry) =>
        _names.AccountControl is { } name
        && int.TryParse(First(entry, name), out var flags)
        && (flags & AccountDisable) != 0;
}

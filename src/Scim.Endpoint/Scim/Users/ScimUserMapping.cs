using System.Text.Json.Nodes;
using ScimBridge.Model.Users;
using ScimBridge.Scim.Errors;
using ScimBridge.Scim.Resources;

namespace ScimBridge.Scim.Users;

/// <summary>
/// Hand-written mapping between the SCIM User (core, enterprise and ScimBridge extensions) and <see cref="UserProfile"/>.
/// Names are matched in any case; read-only attributes (id, meta, groups, teams…) and <c>password</c> are ignored on input.
/// </summary>
public static class ScimUserMapping
{
    public const string ResourceType = "User";

    public static JsonObject ToScim(User user, UserRelations relations, ScimUrls urls)
    {
        var json = new JsonObject
        {
            ["schemas"] = Schemas(user),
            ["id"] = user.Id.ToString(),
        };
        Add(json, "externalId", user.ExternalId);
        json["userName"] = user.UserName;
        var name = new JsonObject();
        Add(name, "formatted", user.FormattedName);
        Add(name, "familyName", user.FamilyName);
        Add(name, "givenName", user.GivenName);
        Add(name, "middleName", user.MiddleName);
        Add(name, "honorificPrefix", user.HonorificPrefix);
        Add(name, "honorificSuffix", user.HonorificSuffix);
        if (name.Count > 0)
        {
            json["name"] = name;
        }

        Add(json, "displayName", user.DisplayName);
        Add(json, "nickName", user.NickName);
        Add(json, "profileUrl", user.ProfileUrl);
        Add(json, "title", user.Title);
        Add(json, "userType", user.UserType);
        Add(json, "preferredLanguage", user.PreferredLanguage);
        Add(json, "locale", user.Locale);
        Add(json, "timezone", user.TimeZone);
        json["active"] = user.Active;
        if (user.Emails.Count > 0)
        {
            json["emails"] = new JsonArray([.. user.Emails.OrderBy(e => e.Id).Select(e => Contact(e.Value, e.Type, e.Primary, e.Display))]);
        }

        if (user.PhoneNumbers.Count > 0)
        {
            json["phoneNumbers"] = new JsonArray([.. user.PhoneNumbers.OrderBy(p => p.Id).Select(p => Contact(p.Value, p.Type, p.Primary, p.Display))]);
        }

        if (user.Addresses.Count > 0)
        {
            json["addresses"] = new JsonArray([.. user.Addresses.Select(Address)]);
        }

        if (user.Roles.Count > 0)
        {
            json["roles"] = new JsonArray([.. user.Roles.Select(ScimRoles.ToScim)]);
        }

        if (relations.Groups.Count > 0)
        {
            json["groups"] = new JsonArray([.. relations.Groups.Select(g => new JsonObject
            {
                ["value"] = g.GroupId.ToString(),
                ["$ref"] = urls.Groups + g.GroupId,
                ["display"] = g.DisplayName,
                ["type"] = "direct",
            })]);
        }

        if (HasEnterprise(user))
        {
            json[ScimUrns.EnterpriseUser] = Enterprise(user, relations, urls);
        }

        json[ScimUrns.PlatformUser] = Platform(user, relations);
        json["meta"] = ScimMeta.Build(ResourceType, user.CreatedAt, user.UpdatedAt, urls.Users + user.Id, user.Version);
        return json;
    }

    /// <summary>Reads a full SCIM User (POST, PUT, or a patched representation) into a profile, within the value limits.</summary>
    public static UserProfile ToProfile(JsonObject json, ValueLimits limits) => UserValueCheck.Check(Read(json), limits);

    private static UserProfile Read(JsonObject json)
    {
        var userName = ScimNode.String(json, "userName");
        if (string.IsNullOrWhiteSpace(userName))
        {
            throw ScimException.InvalidValue("userName is required.");
        }

        var name = ScimNode.Object(ScimNode.Get(json, "name"), "name");
        var enterprise = ScimNode.Object(ScimNode.Get(json, ScimUrns.EnterpriseUser), ScimUrns.EnterpriseUser);
        var platform = ScimNode.Object(ScimNode.Get(json, ScimUrns.PlatformUser), ScimUrns.PlatformUser);
        return new UserProfile
        {
            UserName = userName.Trim(),
            ExternalId = ScimNode.String(json, "externalId"),
            Name = name is null
                ? PersonName.Empty
                : new PersonName(
                    ScimNode.String(name, "givenName"),
                    ScimNode.String(name, "familyName"),
                    ScimNode.String(name, "middleName"),
                    ScimNode.String(name, "honorificPrefix"),
                    ScimNode.String(name, "honorificSuffix"),
                    ScimNode.String(name, "formatted")),
            DisplayName = ScimNode.String(json, "displayName"),
            NickName = ScimNode.String(json, "nickName"),
            ProfileUrl = ScimNode.String(json, "profileUrl"),
            Title = ScimNode.String(json, "title"),
            UserType = ScimNode.String(json, "userType"),
            PreferredLanguage = ScimNode.String(json, "preferredLanguage"),
            Locale = ScimNode.String(json, "locale"),
            TimeZone = ScimNode.String(json, "timezone"),
            Active = ScimNode.Boolean(ScimNode.Get(json, "active"), "active") ?? true,
            Emails = [.. Contacts(json, "emails").Select(c => new EmailAddress(c.Value, c.Type, c.Primary, c.Display))],
            PhoneNumbers = [.. Contacts(json, "phoneNumbers").Select(c => new PhoneNumber(c.Value, c.Type, c.Primary, c.Display))],
            Addresses = [.. ScimNode.Objects(ScimNode.Get(json, "addresses"), "addresses").Select(ReadAddress)],
            Roles = ScimRoles.Read(ScimNode.Get(json, "roles")),
            Enterprise = enterprise is null
                ? Model.Users.EnterpriseAttributes.Empty
                : new Model.Users.EnterpriseAttributes(
                    ScimNode.String(enterprise, "employeeNumber"),
                    ScimNode.String(enterprise, "costCenter"),
                    ScimNode.String(enterprise, "organization"),
                    ScimNode.String(enterprise, "division"),
                    ScimNode.String(enterprise, "department"),
                    ManagerId(ScimNode.Get(enterprise, "manager"))),
            Platform = platform is null
                ? PlatformAttributes.Empty
                : new PlatformAttributes(
                    ScimNode.String(platform, "extension"),
                    ScimNode.String(platform, "outboundCallerId"),
                    ScimNode.String(platform, "companyName"),
                    ScimNode.String(platform, "subscriptionTier")),
        };
    }

    /// <summary>
    /// Entra sends the manager as a bare id, as <c>{"value": id}</c>, as a list of those (with a <c>$ref</c>), or empty to
    /// clear it. The id is kept in its canonical form; whether it names a user of the organization is checked on save.
    /// </summary>
    private static string? ManagerId(JsonNode? manager) => manager switch
    {
        null => null,
        JsonValue => CanonicalId(ScimNode.String(manager, "manager")),
        JsonObject obj => CanonicalId(ScimNode.String(obj, "value")),
        JsonArray array => array.Count == 0 ? null : ManagerId(array[0]),
        _ => throw ScimException.InvalidValue("manager must be a user id or {\"value\": id}."),
    };

    private static string? CanonicalId(string? id)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            return null;
        }

        return Guid.TryParse(id, out var guid)
            ? guid.ToString()
            : throw ScimException.InvalidValue($"manager '{(id.Length > 100 ? id[..100] + "…" : id)}' is not the id of a user.");
    }

    private static IEnumerable<(string Value, string? Type, bool Primary, string? Display)> Contacts(JsonObject json, string attribute)
    {
        foreach (var element in ScimNode.Objects(ScimNode.Get(json, attribute), attribute))
        {
            var value = ScimNode.String(element, "value");
            if (value is null)
            {
                continue;
            }

            yield return (value, ScimNode.String(element, "type"), ScimNode.Boolean(ScimNode.Get(element, "primary"), attribute + ".primary") ?? false,
                ScimNode.String(element, "display"));
        }
    }

    private static PostalAddress ReadAddress(JsonObject a) => new()
    {
        Type = ScimNode.String(a, "type"),
        Formatted = ScimNode.String(a, "formatted"),
        StreetAddress = ScimNode.String(a, "streetAddress"),
        Locality = ScimNode.String(a, "locality"),
        Region = ScimNode.String(a, "region"),
        PostalCode = ScimNode.String(a, "postalCode"),
        Country = ScimNode.String(a, "country"),
        Primary = ScimNode.Boolean(ScimNode.Get(a, "primary"), "addresses.primary") ?? false,
    };

    private static JsonArray Schemas(User user) => HasEnterprise(user)
        ? new JsonArray(ScimUrns.User, ScimUrns.EnterpriseUser, ScimUrns.PlatformUser)
        : new JsonArray(ScimUrns.User, ScimUrns.PlatformUser);

    private static bool HasEnterprise(User user) =>
        user.EmployeeNumber is not null || user.CostCenter is not null || user.EnterpriseOrganization is not null
        || user.Division is not null || user.Department is not null || user.ManagerId is not null;

    private static JsonObject Enterprise(User user, UserRelations relations, ScimUrls urls)
    {
        var json = new JsonObject();
        Add(json, "employeeNumber", user.EmployeeNumber);
        Add(json, "costCenter", user.CostCenter);
        Add(json, "organization", user.EnterpriseOrganization);
        Add(json, "division", user.Division);
        Add(json, "department", user.Department);
        if (user.ManagerId is not null)
        {
            var manager = new JsonObject { ["value"] = user.ManagerId, ["$ref"] = urls.Users + user.ManagerId };
            Add(manager, "displayName", relations.ManagerDisplayName);
            json["manager"] = manager;
        }

        return json;
    }

    private static JsonObject Platform(User user, UserRelations relations)
    {
        var json = new JsonObject();
        Add(json, "extension", user.PhoneExtension);
        Add(json, "outboundCallerId", user.OutboundCallerId);
        Add(json, "companyName", user.CompanyName);
        Add(json, "subscriptionTier", user.SubscriptionTier);
        if (relations.Teams.Count > 0)
        {
            json["teams"] = new JsonArray([.. relations.Teams.Select(t => new JsonObject
            {
                ["value"] = t.TeamId.ToString(),
                ["display"] = t.Name,
                ["role"] = RoleName(t.Role),
            })]);
        }

        Add(json, "defaultTeam", user.DefaultTeamId?.ToString());
        json["managedBy"] = user.ManagedBy;
        json["state"] = StateName(user.Status);
        return json;
    }

    private static JsonObject Contact(string value, string? type, bool primary, string? display)
    {
        var json = new JsonObject { ["value"] = value };
        Add(json, "type", type);
        json["primary"] = primary;
        Add(json, "display", display);
        return json;
    }

    private static JsonObject Address(PostalAddress a)
    {
        var json = new JsonObject();
        Add(json, "type", a.Type);
        Add(json, "formatted", a.Formatted);
        Add(json, "streetAddress", a.StreetAddress);
        Add(json, "locality", a.Locality);
        Add(json, "region", a.Region);
        Add(json, "postalCode", a.PostalCode);
        Add(json, "country", a.Country);
        json["primary"] = a.Primary;
        return json;
    }

    public static string RoleName(Model.Teams.TeamRole role) => role switch
    {
        Model.Teams.TeamRole.Admin => "ADMIN",
        Model.Teams.TeamRole.Member => "MEMBER",
        Model.Teams.TeamRole.Viewer => "VIEWER",
        _ => role.ToString().ToUpperInvariant(),
    };

    public static string StateName(UserStatus status) => status switch
    {
        UserStatus.Prepared => "prepared",
        UserStatus.Invited => "invited",
        UserStatus.Active => "active",
        UserStatus.Deactivated => "deactivated",
        _ => status.ToString().ToLowerInvariant(),
    };

    private static void Add(JsonObject json, string name, string? value)
    {
        if (value is not null)
        {
            json[name] = value;
        }
    }
}

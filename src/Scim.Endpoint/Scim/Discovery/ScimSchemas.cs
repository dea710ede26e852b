namespace ScimBridge.Scim.Discovery;

/// <summary>The schemas this server implements, exactly as far as it supports them.</summary>
public static class ScimSchemas
{
    private static readonly string[] ContactTypes = ["work", "home", "mobile", "other"];

    private static SchemaAttribute[] Contact(bool withDisplay = true) =>
    [
        new("value", Description: "The value."),
        .. withDisplay ? [new SchemaAttribute("display", Mutability: "readWrite", Description: "Human-readable label.")] : Array.Empty<SchemaAttribute>(),
        new("type", Description: "A label indicating the function.") { CanonicalValues = ContactTypes },
        new("primary", "boolean", Description: "The preferred value."),
    ];

    public static readonly ScimSchema UserSchema = new(ScimUrns.User, "User", "User Account",
    [
        new("userName", Required: true, Uniqueness: "server", Description: "Unique identifier for the user, usually an e-mail address."),
        new("name", "complex", Description: "The components of the user's name.")
        {
            SubAttributes =
            [
                new("formatted"), new("familyName"), new("givenName"), new("middleName"),
                new("honorificPrefix"), new("honorificSuffix"),
            ],
        },
        new("displayName"),
        new("nickName"),
        new("profileUrl", "reference") { ReferenceTypes = ["external"] },
        new("title"),
        new("userType"),
        new("preferredLanguage"),
        new("locale"),
        new("timezone"),
        new("active", "boolean", Description: "Whether the account can sign in. Deactivation never deletes."),
        new("password", Mutability: "writeOnly", Returned: "never", Description: "Accepted for compatibility; never stored or returned."),
        new("emails", "complex", MultiValued: true) { SubAttributes = Contact() },
        new("phoneNumbers", "complex", MultiValued: true) { SubAttributes = Contact() },
        new("addresses", "complex", MultiValued: true)
        {
            SubAttributes =
            [
                new("formatted"), new("streetAddress"), new("locality"), new("region"), new("postalCode"), new("country"),
                new("type") { CanonicalValues = ContactTypes }, new("primary", "boolean"),
            ],
        },
        new("roles", "complex", MultiValued: true, Description: "Roles of the user, e.g. app roles assigned in Entra ID (sent as JSON text inside value, unpacked).")
        {
            SubAttributes = [new("value"), new("display"), new("type"), new("primary", "boolean")],
        },
        new("groups", "complex", MultiValued: true, Mutability: "readOnly", Description: "Groups the user belongs to.")
        {
            SubAttributes =
            [
                new("value", Mutability: "readOnly"),
                new("$ref", "reference", Mutability: "readOnly") { ReferenceTypes = ["Group"] },
                new("display", Mutability: "readOnly"),
                new("type", Mutability: "readOnly") { CanonicalValues = ["direct", "indirect"] },
            ],
        },
    ]);

    public static readonly ScimSchema EnterpriseUserSchema = new(ScimUrns.EnterpriseUser, "EnterpriseUser", "Enterprise User",
    [
        new("employeeNumber"),
        new("costCenter"),
        new("organization"),
        new("division"),
        new("department"),
        new("manager", "complex")
        {
            SubAttributes =
            [
                new("value", Description: "The id of the user's manager."),
                new("$ref", "reference") { ReferenceTypes = ["User"] },
                new("displayName", Mutability: "readOnly"),
            ],
        },
    ]);

    public static readonly ScimSchema ScimBridgeUserSchema = new(ScimUrns.PlatformUser, "ScimBridgeUser", "The telephony platform's own user fields",
    [
        new("extension", Uniqueness: "server", Description: "Internal phone extension, unique within the organization."),
        new("outboundCallerId", Description: "Overrides the organization's default outbound number."),
        new("companyName"),
        new("subscriptionTier", Description: "For example Standard."),
        new("defaultTeam", Mutability: "readOnly", Description: "The team selected at sign-in."),
        new("state", Mutability: "readOnly") { CanonicalValues = ["prepared", "invited", "active", "deactivated"] },
        new("managedBy", Mutability: "readOnly", Description: "The source that manages the user: scim, manual, or a sync source."),
        new("teams", "complex", MultiValued: true, Mutability: "readOnly", Description: "The user's teams and effective roles, derived from groups by the mapping file or set by an admin.")
        {
            SubAttributes =
            [
                new("value", Mutability: "readOnly", Description: "Team id."),
                new("display", Mutability: "readOnly", Description: "Team name."),
                new("role", Mutability: "readOnly") { CanonicalValues = ["ADMIN", "MEMBER", "VIEWER"] },
            ],
        },
    ]);

    public static readonly ScimSchema GroupSchema = new(ScimUrns.Group, "Group", "Group",
    [
        new("displayName", Required: true),
        new("members", "complex", MultiValued: true)
        {
            SubAttributes =
            [
                new("value", Mutability: "immutable"),
                new("$ref", "reference", Mutability: "immutable") { ReferenceTypes = ["User", "Group"] },
                new("display", Mutability: "readOnly"),
                new("type", Mutability: "immutable") { CanonicalValues = ["User", "Group"] },
            ],
        },
    ]);

    public static IReadOnlyList<ScimSchema> All { get; } = [UserSchema, EnterpriseUserSchema, ScimBridgeUserSchema, GroupSchema];
}

namespace ScimBridge.Model.Organizations;

/// <summary>A user's organization-wide role; the numeric order is the precedence (Owner highest).</summary>
public enum OrganizationRole
{
    Viewer = 1,
    Member = 2,
    Support = 3,
    Admin = 4,
    Owner = 5,
}

namespace ScimBridge.Model.Users;

/// <summary>Lifecycle of a platform account: prepared, invited, active, or deactivated (never deleted by provisioning).</summary>
public enum UserStatus
{
    Prepared,
    Invited,
    Active,
    Deactivated,
}

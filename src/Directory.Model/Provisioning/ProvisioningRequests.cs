using ScimBridge.Model.Users;

namespace ScimBridge.Model.Provisioning;

/// <summary>A user to create, with the id the caller chose (so memberships can name it) and the source's key for it.</summary>
public sealed record NewUser(Guid Id, UserProfile Profile, string? SourceKey = null, string? Fingerprint = null);

/// <summary>New attributes for an existing user; activation is left as it is (see <see cref="UserActivation"/>).</summary>
public sealed record UserEdit(Guid Id, UserProfile Profile, string? Fingerprint = null);

/// <summary>A user to deactivate or reactivate, with the reason recorded in the audit trail.</summary>
public sealed record UserActivation(Guid Id, string? Cause = null);

/// <summary>A group to create, with the id the caller chose.</summary>
public sealed record NewGroup(Guid Id, string DisplayName, string? ExternalId, string? DistinguishedName = null);

/// <summary>A rename (or new DN) of a group; <see cref="Restore"/> also brings a deleted group back.</summary>
public sealed record GroupEdit(Guid Id, string DisplayName, string? DistinguishedName, bool Restore = false);

/// <summary>A member to add to or remove from a group.</summary>
public sealed record MemberEdit(Guid GroupId, Guid MemberId, bool IsGroup);

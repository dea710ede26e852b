using System.Net.Mail;
using Microsoft.EntityFrameworkCore;
using ScimBridge.Model.Audit;
using ScimBridge.Model.Persistence;
using ScimBridge.Model.Users;

namespace ScimBridge.Model.Provisioning;

/// <summary>The one write path for users, shared by SCIM pushes and directory syncs. Stages changes; the caller saves.</summary>
public sealed class UserProvisioning(ScimBridgeDbContext db, AuditLog audit, TimeProvider clock, INewUserWriter? newUsers = null)
{
    public const string TargetType = "user";

    // Runs before every create and rename; precompiled so it costs one indexed lookup, not a LINQ translation.
    private static readonly CompiledPerModel<Func<ScimBridgeDbContext, Guid, string, Guid?, CancellationToken, Task<bool>>> UserNameTaken =
        new(() => EF.CompileAsyncQuery((ScimBridgeDbContext db, Guid organizationId, string normalized, Guid? exceptUserId, CancellationToken ct) => db.Users.IgnoreAutoIncludes()
            .Any(u => u.OrganizationId == organizationId && u.NormalizedUserName == normalized && u.Id != exceptUserId)));

    public async Task<User> CreateAsync(UserProfile profile, ProvisioningContext context, CancellationToken ct, string? sourceKey = null)
    {
        var (user, entry) = NewUser(profile, context, sourceKey);
        await EnsureUserNameFreeAsync(context.OrganizationId, profile.UserName, null, ct);
        db.Users.Add(user);
        db.AuditEntries.Add(entry);
        return user;
    }

    /// <summary>
    /// Creates a user and saves it at once, with its derived memberships and anything else the caller staged. On a SQLite
    /// file, a user of an organization without a mapping file (whose memberships a new user cannot change) is written by
    /// the database's <see cref="INewUserWriter"/>, committed together with concurrent creates; otherwise it is saved through EF Core.
    /// </summary>
    public async Task<User> CreateAndSaveAsync(
        UserProfile profile, ProvisioningContext context, MembershipProvisioning memberships, CancellationToken ct)
    {
        if (newUsers is not null && !db.ChangeTracker.HasChanges() && !await memberships.HasMappingAsync(context.OrganizationId, ct))
        {
            var (user, entry) = NewUser(profile, context, null);
            if (await newUsers.TryInsertAsync(db, user, entry, ct))
            {
                return user;
            }
        }

        var created = await CreateAsync(profile, context, ct);
        await memberships.RecomputeUsersAsync(context.OrganizationId, [created.Id], context.Actor, ct);
        await db.SaveChangesAsync(ct);
        return created;
    }

    /// <summary>A validated new user and the audit entry of its creation, neither staged yet.</summary>
    private (User User, AuditEntry Entry) NewUser(UserProfile profile, ProvisioningContext context, string? sourceKey)
    {
        Validate(profile);
        var now = clock.GetUtcNow();
        var user = new User
        {
            OrganizationId = context.OrganizationId,
            ManagedBy = context.ManagedBy,
            SourceKey = sourceKey,
            CreatedAt = now,
            UpdatedAt = now,
        };
        user.ApplyProfile(profile);
        if (!profile.Active)
        {
            user.Deactivate(now);
        }

        var entry = audit.Create(context.OrganizationId, context.Actor, "user.created", TargetType, user.Id.ToString(), after: user.ToProfile(), cause: context.Cause);
        return (user, entry);
    }

    /// <summary>Applies a new profile; returns false when nothing changed (nothing is written or audited then).</summary>
    public async Task<bool> UpdateAsync(User user, UserProfile profile, ProvisioningContext context, CancellationToken ct)
    {
        var before = user.ToProfile();
        if (before.SameAs(profile))
        {
            return false;
        }

        Validate(profile);
        if (!string.Equals(User.Normalize(before.UserName), User.Normalize(profile.UserName), StringComparison.Ordinal))
        {
            await EnsureUserNameFreeAsync(user.OrganizationId, profile.UserName, user.Id, ct);
        }

        var now = clock.GetUtcNow();
        user.ApplyProfile(profile);
        var action = "user.updated";
        if (before.Active && !profile.Active)
        {
            user.Deactivate(now);
            action = "user.deactivated";
        }
        else if (!before.Active && profile.Active)
        {
            user.Reactivate();
            action = "user.reactivated";
        }

        Touch(user, now);
        audit.Record(user.OrganizationId, context.Actor, action, TargetType, user.Id.ToString(), before, user.ToProfile(), context.Cause);
        return true;
    }

    public bool Deactivate(User user, ProvisioningContext context)
    {
        if (!user.Active)
        {
            return false;
        }

        var before = user.ToProfile();
        var now = clock.GetUtcNow();
        user.Deactivate(now);
        Touch(user, now);
        audit.Record(user.OrganizationId, context.Actor, "user.deactivated", TargetType, user.Id.ToString(), before, user.ToProfile(), context.Cause);
        return true;
    }

    public bool Reactivate(User user, ProvisioningContext context)
    {
        if (user.Active)
        {
            return false;
        }

        var before = user.ToProfile();
        user.Reactivate();
        Touch(user, clock.GetUtcNow());
        audit.Record(user.OrganizationId, context.Actor, "user.reactivated", TargetType, user.Id.ToString(), before, user.ToProfile(), context.Cause);
        return true;
    }

    /// <summary>SCIM DELETE: hides the user from SCIM and deactivates it, keeping the row, memberships history and audit trail.</summary>
    public void Delete(User user, ProvisioningContext context)
    {
        var before = user.ToProfile();
        var now = clock.GetUtcNow();
        user.Deactivate(now);
        user.MarkDeleted(now);
        Touch(user, now);
        audit.Record(user.OrganizationId, context.Actor, "user.deleted", TargetType, user.Id.ToString(), before, null, context.Cause);
    }

    /// <summary>Undoes a SCIM DELETE: the user is visible again and reactivated.</summary>
    public void Restore(User user, ProvisioningContext context)
    {
        user.Restore();
        user.Reactivate();
        Touch(user, clock.GetUtcNow());
        audit.Record(user.OrganizationId, context.Actor, "user.restored", TargetType, user.Id.ToString(), null, user.ToProfile(), context.Cause);
    }

    private static void Touch(User user, DateTimeOffset now)
    {
        user.UpdatedAt = now;
        user.Version++;
    }

    private async Task EnsureUserNameFreeAsync(Guid organizationId, string userName, Guid? exceptUserId, CancellationToken ct)
    {
        if (await UserNameTaken.For(db)(db, organizationId, User.Normalize(userName), exceptUserId, ct))
        {
            throw UniquenessConflictException.UserName(userName);
        }
    }

    internal static void Validate(UserProfile profile)
    {
        if (string.IsNullOrWhiteSpace(profile.UserName))
        {
            throw new InvalidValueException("userName is required.");
        }

        foreach (var email in profile.Emails)
        {
            if (!IsValidEmail(email.Value))
            {
                throw new InvalidValueException($"'{email.Value}' is not a valid e-mail address.");
            }
        }
    }

    private static bool IsValidEmail(string value) =>
        !string.IsNullOrWhiteSpace(value)
        && !value.Any(char.IsWhiteSpace)
        && MailAddress.TryCreate(value, out var parsed)
        && parsed.Address == value;
}

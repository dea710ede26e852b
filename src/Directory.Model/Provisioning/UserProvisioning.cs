using System.Net.Mail;
using Microsoft.EntityFrameworkCore;
using ScimBridge.Model.Audit;
using ScimBridge.Model.Persistence;
using ScimBridge.Model.Users;

namespace ScimBridge.Model.Provisioning;

/// <summary>The one write path for users, shared by SCIM pushes and directory syncs. Stages changes; the caller saves.</summary>
public sealed partial class UserProvisioning(ScimBridgeDbContext db, AuditLog audit, TimeProvider clock, INewUserWriter? newUsers = null)
{
    public const string TargetType = "user";

    /// <summary>Users whose staged changes may change their derived memberships, until <see cref="SaveAsync"/>.</summary>
    private readonly HashSet<Guid> _staged = [];

    public async Task<User> CreateAsync(UserProfile profile, ProvisioningContext context, CancellationToken ct, string? sourceKey = null)
    {
        var (user, entry) = Build(new NewUser(EntityIds.New(), profile, sourceKey), context);
        await UserUniqueness.EnsureFreeAsync(db, context.OrganizationId, profile.UserName, profile.Platform.PhoneExtension, null, ct);
        db.Users.Add(user);
        db.AuditEntries.Add(entry);
        _staged.Add(user.Id);
        return user;
    }

    /// <summary>
    /// Creates a user and saves it at once, with its derived memberships and anything else the caller staged. On a SQLite
    /// file, a user whom the organization's mapping file leaves alone (a user in no group gets nothing from the usual
    /// file, see <see cref="MembershipProvisioning.LeavesNewUserAloneAsync"/>) is written by the database's
    /// <see cref="INewUserWriter"/>, committed together with concurrent creates; otherwise it is saved through EF Core with its recompute.
    /// </summary>
    public async Task<User> CreateAndSaveAsync(
        UserProfile profile, ProvisioningContext context, MembershipProvisioning memberships, CancellationToken ct)
    {
        if (newUsers is not null && !db.ChangeTracker.HasChanges())
        {
            var (user, entry) = Build(new NewUser(EntityIds.New(), profile), context);
            if (await memberships.LeavesNewUserAloneAsync(context.OrganizationId, user, ct) && await newUsers.TryInsertAsync(db, user, entry, ct))
            {
                return user;
            }
        }

        var created = await CreateAsync(profile, context, ct);
        await SaveAsync(context, memberships, ct);
        return created;
    }

    /// <summary>
    /// Runs <paramref name="attempt"/> (find the user, check the caller's precondition, stage the change, <see cref="SaveAsync"/>)
    /// again on fresh rows whenever a concurrent writer changed the user between its read and its save: no write is lost,
    /// and a precondition on the version read (If-Match) is judged against the version the write would replace.
    /// </summary>
    public Task<T> RetryOnConflictAsync<T>(Func<Task<T>> attempt, CancellationToken ct) =>
        WriteConflicts.RetryAsync(db, attempt, _staged.Clear, ct);

    /// <summary>Recomputes the derived memberships of the users whose changes are staged, then saves everything, in that order.</summary>
    public async Task<DirectoryChanges> SaveAsync(ProvisioningContext context, MembershipProvisioning memberships, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(memberships);
        var changes = DirectoryChanges.OfUsers(_staged);
        _staged.Clear();
        try
        {
            // A recompute saves the staged changes first, in its transaction.
            await memberships.RecomputeAsync(context.OrganizationId, changes, context.Actor, ct);
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (UserUniqueness.IsViolation(db, e))
        {
            // A concurrent request took the userName or extension between the check and the save.
            throw await UserUniqueness.ExplainAsync(db, e, ct);
        }

        return changes;
    }

    /// <summary>A validated new user and the audit entry of its creation, neither staged yet.</summary>
    private (User User, AuditEntry Entry) Build(NewUser request, ProvisioningContext context)
    {
        var profile = request.Profile;
        Validate(profile);
        var now = clock.GetUtcNow();
        var user = new User
        {
            Id = request.Id,
            OrganizationId = context.OrganizationId,
            ManagedBy = context.ManagedBy,
            SourceKey = request.SourceKey,
            SourceFingerprint = request.Fingerprint,
            CreatedAt = now,
            UpdatedAt = now,
        };
        user.ApplyProfile(profile);
        if (!profile.Active)
        {
            user.Deactivate(now, context.DeactivatesAs);
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
        var renamed = !string.Equals(User.Normalize(before.UserName), User.Normalize(profile.UserName), StringComparison.Ordinal);
        var extension = profile.Platform.PhoneExtension == before.Platform.PhoneExtension ? null : profile.Platform.PhoneExtension;
        await UserUniqueness.EnsureFreeAsync(db, user.OrganizationId, renamed ? profile.UserName : null, extension, user.Id, ct);

        Stage(user, profile, context);
        _staged.Add(user.Id);
        return true;
    }

    /// <summary>
    /// Applies a profile to a tracked user with the status, version and audit entry every change of attributes gets:
    /// <c>user.updated</c>, or <c>user.deactivated</c>/<c>user.reactivated</c> when <c>active</c> changed too, with the
    /// profile before and after. Returns false, changing nothing, when the profile is the same.
    /// </summary>
    private bool Stage(User user, UserProfile profile, ProvisioningContext context)
    {
        var before = user.ToProfile();
        if (before.SameAs(profile))
        {
            return false;
        }

        var now = clock.GetUtcNow();
        user.ApplyProfile(profile);
        var action = "user.updated";
        if (before.Active && !profile.Active)
        {
            user.Deactivate(now, context.DeactivatesAs);
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

    /// <summary>Deactivates one tracked user, staged for the caller's save; false when it already was.</summary>
    public bool Deactivate(User user, ProvisioningContext context) =>
        user.Active && Stage(user, user.ToProfile() with { Active = false }, context) && _staged.Add(user.Id);

    /// <summary>Reactivates one tracked user, staged for the caller's save; false when it was active.</summary>
    public bool Reactivate(User user, ProvisioningContext context) =>
        !user.Active && Stage(user, user.ToProfile() with { Active = true }, context) && _staged.Add(user.Id);

    /// <summary>SCIM DELETE: hides the user from SCIM and deactivates it, keeping the row, memberships history and audit trail.</summary>
    public void Delete(User user, ProvisioningContext context)
    {
        var before = user.ToProfile();
        var now = clock.GetUtcNow();
        user.Deactivate(now);
        user.MarkDeleted(now);
        Touch(user, now);
        audit.Record(user.OrganizationId, context.Actor, "user.deleted", TargetType, user.Id.ToString(), before, null, context.Cause);
        _staged.Add(user.Id);
    }

    /// <summary>Undoes a SCIM DELETE: the user is visible again and reactivated.</summary>
    public void Restore(User user, ProvisioningContext context)
    {
        user.Restore();
        user.Reactivate();
        Touch(user, clock.GetUtcNow());
        audit.Record(user.OrganizationId, context.Actor, "user.restored", TargetType, user.Id.ToString(), null, user.ToProfile(), context.Cause);
        _staged.Add(user.Id);
    }

    private static void Touch(User user, DateTimeOffset now)
    {
        user.UpdatedAt = now;
        user.Version++;
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

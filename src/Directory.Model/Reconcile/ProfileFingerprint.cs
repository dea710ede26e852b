using System.Security.Cryptography;
using System.Text.Json;
using ScimBridge.Model.Audit;
using ScimBridge.Model.Users;

namespace ScimBridge.Model.Reconcile;

/// <summary>
/// A short hash of a source's user profile (activation left out: it is planned separately). Stored with the user, it
/// lets a re-sync of 100,000 unchanged users compare hashes instead of loading every stored profile.
/// </summary>
public static class ProfileFingerprint
{
    public static string Of(UserProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var json = JsonSerializer.SerializeToUtf8Bytes(profile with { Active = true }, AuditLog.SnapshotJson);
        return Convert.ToHexStringLower(SHA256.HashData(json).AsSpan(0, 16));
    }

}

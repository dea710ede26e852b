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

    /// <summary>
    /// Takes a fingerprint once, so that the serializer's contract for profiles is built before a run needs it: a run
    /// does so while it reads the source, when the process has barely serialized anything yet.
    /// </summary>
    internal static void Prepare() => Of(new UserProfile { UserName = "" });

}

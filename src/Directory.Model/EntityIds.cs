using System.Security.Cryptography;

namespace ScimBridge.Model;

/// <summary>
/// New random (version 4) GUIDs for entity ids, drawn from the operating system's secure generator 256 at a time.
/// <see cref="Guid.NewGuid"/> asks the operating system once per GUID (on Linux a read of <c>/dev/urandom</c>), and an
/// entity gets a new id whenever one is constructed: also for every row a query materializes, only to overwrite the id
/// with the stored one. For the SCIM user lookups that system call was a few percent of the service's CPU.
/// </summary>
public static class EntityIds
{
    private const int PerRefill = 256;

    [ThreadStatic]
    private static byte[]? _pool;

    [ThreadStatic]
    private static int _next;

    public static Guid New()
    {
        var pool = _pool ??= new byte[16 * PerRefill];
        if (_next == 0)
        {
            RandomNumberGenerator.Fill(pool);
        }

        Span<byte> bytes = stackalloc byte[16];
        pool.AsSpan(_next * 16, 16).CopyTo(bytes);
        _next = (_next + 1) % PerRefill;

        // The layout Guid(ReadOnlySpan<byte>) reads: the version is the high nibble of the little-endian third field
        // (byte 7), the RFC 9562 variant the two high bits of byte 8.
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes);
    }
}

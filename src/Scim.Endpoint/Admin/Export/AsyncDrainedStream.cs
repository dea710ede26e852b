namespace ScimBridge.Scim.Admin.Export;

/// <summary>
/// A write-only stream in front of a response body: writes collect in memory (synchronous ones too, which a zip
/// archive's entries make when they close) and reach the body only through <see cref="DrainAsync"/>, asynchronously,
/// as a response body requires. The caller drains after each row, so it holds at most a few rows' bytes.
/// </summary>
public sealed class AsyncDrainedStream(Stream inner) : Stream
{
    private const int DrainAt = 64 * 1024;

    private readonly MemoryStream _pending = new();
    private long _written;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _written;
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _pending.Write(buffer);
        _written += buffer.Length;
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        if (_pending.Length >= DrainAt)
        {
            await DrainAsync(cancellationToken);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Sends what has collected to the inner stream.</summary>
    public async Task DrainAsync(CancellationToken ct)
    {
        if (_pending.Length == 0)
        {
            return;
        }

        await inner.WriteAsync(_pending.GetBuffer().AsMemory(0, (int)_pending.Length), ct);
        _pending.SetLength(0);
    }

    /// <summary>Sends what collected once it is worth a write of its own.</summary>
    public Task DrainIfFullAsync(CancellationToken ct) => _pending.Length >= DrainAt ? DrainAsync(ct) : Task.CompletedTask;

    // Synchronous flushes (the zip's) keep the bytes for the next drain.
    public override void Flush()
    {
    }

    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        await DrainAsync(cancellationToken);
        await inner.FlushAsync(cancellationToken);
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _pending.Dispose();
        }

        base.Dispose(disposing);
    }
}

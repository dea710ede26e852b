using Microsoft.Extensions.Configuration;
using ScimBridge.Model.Reconcile;
using ScimBridge.Sync.Sources;

namespace ScimBridge.Sync.Tests.Runs;

/// <summary>A directory whose reads the test decides; counts reads and the most that ran at once.</summary>
public sealed class FakeDirectory
{
    private int _running;

    /// <summary>What the next reads return (or throw); the argument is the delta state the run passed.</summary>
    public Func<string?, CancellationToken, Task<DirectorySnapshot>> Read { get; set; } =
        (_, _) => Task.FromResult(new DirectorySnapshot { IsFull = true });

    public List<string?> DeltaStatesSeen { get; } = [];
    public int Reads => DeltaStatesSeen.Count;
    public int MaxConcurrentReads { get; private set; }

    public void Returns(DirectorySnapshot snapshot) => Read = (_, _) => Task.FromResult(snapshot);

    internal async Task<DirectorySnapshot> ReadAsync(string? deltaState, CancellationToken ct)
    {
        var running = Interlocked.Increment(ref _running);
        lock (DeltaStatesSeen)
        {
            DeltaStatesSeen.Add(deltaState);
            MaxConcurrentReads = Math.Max(MaxConcurrentReads, running);
        }
        try
        {
            return await Read(deltaState, ct);
        }
        finally
        {
            Interlocked.Decrement(ref _running);
        }
    }
}

/// <summary>Sources of <c>"Type": "Fake"</c>, all reading the one <see cref="FakeDirectory"/>.</summary>
public sealed class FakeSourceFactory(FakeDirectory directory) : IDirectorySourceFactory
{
    public string Type => "Fake";

    public IDirectorySource Create(SyncSourceOptions options, IConfigurationSection section) => new FakeSource(options.Name, directory);

    private sealed class FakeSource(string name, FakeDirectory directory) : IDirectorySource
    {
        public string Name => name;

        public Task<DirectorySnapshot> ReadAsync(string? deltaState, CancellationToken ct) => directory.ReadAsync(deltaState, ct);
    }
}

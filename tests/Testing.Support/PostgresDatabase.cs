using System.Collections.Concurrent;
using Npgsql;

namespace ScimBridge.Testing;

/// <summary>
/// A fresh, empty database on the test process's <see cref="PostgresServer"/>, for one test class
/// (<c>IClassFixture&lt;PostgresDatabase&gt;</c>); dropped with the class. Tests that want a database each take one
/// more with <see cref="ConnectionStringFor"/>.
/// </summary>
public sealed class PostgresDatabase : IAsyncLifetime
{
    private readonly ConcurrentDictionary<string, bool> _extra = new();
    private PostgresServer? _server;

    public string Name { get; } = "t" + Guid.NewGuid().ToString("N")[..12];

    private PostgresServer Server => _server ?? throw new InvalidOperationException("The fixture is not initialised yet.");

    /// <summary>The class's database.</summary>
    public string ConnectionString => Server.ConnectionString(Name);

    /// <summary>
    /// Another database of this class, <c>NAME_name</c>, created by whoever migrates it first (EF Core creates a missing
    /// database) and dropped with the class.
    /// </summary>
    public string ConnectionStringFor(string name)
    {
        var database = $"{Name}_{name}".ToLowerInvariant();
        _extra.TryAdd(database, true);
        return Server.ConnectionString(database);
    }

    public async Task InitializeAsync()
    {
        _server = await PostgresServer.StartedAsync();
        await _server.ExecuteAsync($"CREATE DATABASE \"{Name}\"");
    }

    public async Task DisposeAsync()
    {
        if (_server is null)
        {
            return;
        }
        foreach (var database in _extra.Keys.Append(Name))
        {
            // Idle pooled connections of this process go first; FORCE ends any others (a stopped service's, say).
            using (var pooled = new NpgsqlConnection(_server.ConnectionString(database)))
            {
                NpgsqlConnection.ClearPool(pooled);
            }
            await _server.ExecuteAsync($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)");
        }
    }
}

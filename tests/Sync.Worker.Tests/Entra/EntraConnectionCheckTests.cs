using System.Text.Json.Nodes;
using ScimBridge.Model.Reconcile;

namespace ScimBridge.Sync.Tests.Entra;

/// <summary>The console's "Test connection" for Entra ID: sign in, ask Graph for the number of users, read nothing else.</summary>
public sealed class EntraConnectionCheckTests : IDisposable
{
    private readonly GraphStub _graph = new();

    public void Dispose() => _graph.Dispose();

    [Fact]
    public async Task Test_connection_signs_in_and_counts_the_users_with_eventual_consistency()
    {
        _graph.Get("/users/$count", JsonValue.Create(42));
        using var source = _graph.CreateSource();

        var check = await source.CheckConnectionAsync(CancellationToken.None);

        Assert.Equal(42, check.UsersInScope);
        Assert.Contains(GraphStub.TenantId, check.Detail, StringComparison.Ordinal);
        var request = Assert.Single(_graph.RequestsTo("/users/$count"));
        Assert.Equal("eventual", request.RequestMessage.Headers!["ConsistencyLevel"][0]);
        Assert.NotEmpty(_graph.TokenRequests());
        Assert.Empty(_graph.RequestsTo("/users"));
        Assert.Empty(_graph.RequestsTo("/groups*"));
    }

    [Fact]
    public async Task Test_connection_without_the_permission_to_read_users_says_what_Graph_answered()
    {
        _graph.GetFails("/users/$count", 403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");
        using var source = _graph.CreateSource();

        var error = await Assert.ThrowsAsync<DirectoryReadException>(() => source.CheckConnectionAsync(CancellationToken.None));

        Assert.Contains("Entra source", error.Message, StringComparison.Ordinal);
        Assert.Contains("Insufficient privileges", error.Message, StringComparison.Ordinal);
    }
}

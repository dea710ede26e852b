using System.Text.Json.Nodes;

namespace ScimBridge.Sync.Tests.Entra;

/// <summary>A stored delta state as a previous run would have left it, pointing at the stub's delta links.</summary>
public sealed class EntraDeltaStateForTests(string graphRoot, string usersToken = "users-token-1", string groupsToken = "groups-token-1")
{
    public string Serialized => new JsonObject
    {
        ["users"] = $"{graphRoot}/users/delta()?$deltatoken={usersToken}",
        ["groups"] = $"{graphRoot}/groups/delta()?$deltatoken={groupsToken}",
        ["v"] = 1,
    }.ToJsonString();
}

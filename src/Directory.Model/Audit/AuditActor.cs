namespace ScimBridge.Model.Audit;

/// <summary>Who makes a change: a SCIM client, a sync run, an admin, the mapping engine or the command line.</summary>
public sealed record AuditActor(string Kind, string Name)
{
    public static AuditActor ScimClient(string tokenName) => new("scim", tokenName);

    public static AuditActor SyncRun(string source, long runId) => new("sync", $"{source}#{runId}");

    public static AuditActor Admin(string who) => new("admin", who);

    public static AuditActor Mapping(string file) => new("mapping", file);

    public static AuditActor CommandLine(string command) => new("cli", command);

    public override string ToString() => $"{Kind}:{Name}";
}

using ScimBridge.Bench;

// Benchmarks print figures; they assert nothing. Run with -c Release.
var which = args.Length > 0 ? args[0] : "help";
switch (which)
{
    case "scim":
        await ScimBenchmark.RunAsync(args);
        break;
    case "entra-delta":
        return await EntraDeltaBenchmark.RunAsync(args);
    case "reconcile":
        return await ReconcileBenchmark.RunAsync(args);
    case "ldap-sync":
        return await LdapSyncBenchmark.RunAsync(args);
    case "baseline-server":
        await BaselineServer.RunAsync(args);
        break;
    case "mapping":
        await MappingBenchmark.RunAsync(args);
        break;
    default:
        Console.WriteLine("usage: dotnet run -c Release --project tests/Bench -- <scim [USERS [LOOKUPS [users-only]]] | entra-delta | reconcile [USERS] | ldap-sync [USERS] | mapping [USERS [recompute|patch]]>");
        break;
}
return 0;

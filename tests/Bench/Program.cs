using ScimBridge.Bench;

// Benchmarks print figures; they assert nothing. Run with -c Release.
var which = args.Length > 0 ? args[0] : "help";
var (databases, positional) = BenchDatabase.FromArguments(args);
if (which == "scim" && !LoadGenerator.HasInlineCompletions)
{
    // The setting is read once at start, so the generator runs as a child process that has it (see LoadGenerator).
    var self = new System.Diagnostics.ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "ScimBridge.Bench.dll"), .. args]);
    self.Environment[LoadGenerator.InlineCompletions] = "1";
    using var child = System.Diagnostics.Process.Start(self)!;
    await child.WaitForExitAsync();
    return child.ExitCode;
}

switch (which)
{
    case "scim" when positional.Length > 3 && positional[3] == "paging":
        await PagingBenchmark.RunAsync(positional.Length > 1 ? int.Parse(positional[1], System.Globalization.CultureInfo.InvariantCulture) : 100_000);
        break;
    case "scim":
        var summaries = new List<ScimBenchmark.Summary>();
        foreach (var database in databases)
        {
            summaries.Add(await ScimBenchmark.RunAsync(positional, database));
            Console.WriteLine();
        }

        ScimSideBySide.Print(summaries);
        if (databases.Any(d => !d.IsPostgres) && !(positional.Length > 3 && positional[3] == "users-only"))
        {
            // List paging at 100,000 users, next to raw SQLite statements.
            Console.WriteLine();
            await PagingBenchmark.RunAsync(100_000);
        }

        break;
    case "entra-delta":
        return await EntraDeltaBenchmark.RunAsync(args);
    case "reconcile":
        return await ReconcileBenchmark.RunAsync(args);
    case "reconcile-state":
        return await ReconcileStateBenchmark.RunAsync(args);
    case "ldap-sync":
        return await LdapSyncBenchmark.RunAsync(positional, databases[0]);
    case "baseline-server":
        await BaselineServer.RunAsync(args);
        break;
    case "bulk":
        await BulkBenchmark.RunAsync(positional);
        break;
    case "mapping":
        await MappingBenchmark.RunAsync(positional, databases[0]);
        break;
    case "console":
        await ConsoleBenchmark.RunAsync(args);
        break;
    default:
        Console.WriteLine("usage: dotnet run -c Release --project tests/Bench -- <scim [USERS [LOOKUPS [users-only|paging]]] | entra-delta [USERS] | reconcile [USERS] | reconcile-state [USERS [ROUNDS]] | ldap-sync [USERS | dense [USERS]] | mapping [USERS [recompute|patch]] | console [USERS [export-only]] | bulk [OPERATIONS [ROUNDS]]> [--database sqlite|postgres|both (scim, ldap-sync, mapping)]");
        break;
}
return 0;

using ScimBridge.Bench;

// Benchmarks print figures; they assert nothing. Run with -c Release.
var which = args.Length > 0 ? args[0] : "help";
switch (which)
{
    case "scim":
        await ScimBenchmark.RunAsync(args);
        break;
    case "mapping":
        await MappingBenchmark.RunAsync(args);
        break;
    default:
        Console.WriteLine("usage: dotnet run -c Release --project tests/Bench -- <scim [USERS] | mapping [USERS]>");
        break;
}

using ScimBridge.Scim.Cli;
using ScimBridge.Scim.Hosting;

// Settings (--Section:Key=value, --urls, --contentRoot) go to configuration in every mode; the remaining words pick it:
// none serves, `worker` runs only the scheduled sync, anything else is an admin command (unknown ones exit with 2).
var invocation = CommandLineSplit.Parse(args);
switch (invocation.Mode)
{
    case InvocationMode.UsageError:
        await Console.Error.WriteLineAsync(invocation.Problem);
        return 2;
    case InvocationMode.Help or InvocationMode.Command:
        return await CommandHost.RunAsync(invocation, Console.Out, Console.Error);
    case InvocationMode.Worker:
        return await ServiceHost.RunWorkerAsync(invocation.Settings);
    default:
        return await ServiceHost.RunAsync(invocation.Settings);
}

/// <summary>Entry point; public so that tests can host it with WebApplicationFactory.</summary>
public partial class Program;

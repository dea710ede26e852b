using ScimBridge.Scim.Cli;

namespace ScimBridge.Scim.Tests.Infrastructure;

/// <summary>Runs an admin command against a factory's service, as <c>dotnet run -- WORDS</c> would.</summary>
public static class AdminCli
{
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(ScimBridgeFactory factory, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await AdminCommandLine.RunAsync(factory.Services, args, output, error);
        return (exit, output.ToString(), error.ToString());
    }
}

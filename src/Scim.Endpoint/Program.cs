using ScimBridge.Model.Persistence;
using ScimBridge.Scim;
using ScimBridge.Scim.Cli;
using Serilog;

Log.Logger = new LoggerConfiguration().WriteTo.Console(standardErrorFromLevel: Serilog.Events.LogEventLevel.Verbose).CreateLogger();
try
{
    var commandMode = AdminCommandLine.IsCommand(args);
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions
    {
        Args = commandMode ? [] : args,
        ContentRootPath = AppContext.BaseDirectory,
    });
    builder.AddScimBridge(commandMode);

    var app = builder.Build();
    await app.Services.MigrateDatabaseAsync();

    if (commandMode)
    {
        return await AdminCommandLine.RunAsync(app.Services, args, Console.Out, Console.Error);
    }

    app.UseScimBridge();
    await app.RunAsync();
    return 0;
}
catch (Exception e) when (e is not HostAbortedException)
{
    Log.Fatal(e, "ScimBridge stopped with an error");
    return 1;
}
finally
{
    await Log.CloseAndFlushAsync();
}

/// <summary>Entry point; public so that tests can host it with WebApplicationFactory.</summary>
public partial class Program;

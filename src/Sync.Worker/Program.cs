using ScimBridge.Model;
using ScimBridge.Model.Persistence;
using ScimBridge.Sync;
using Serilog;

var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddSerilog((services, log) => log
    .ReadFrom.Configuration(builder.Configuration)
    .ReadFrom.Services(services)
    .Enrich.FromLogContext()
    .WriteTo.Console());
builder.AddDirectoryModel();
builder.AddSyncWorker();

var host = builder.Build();
await host.Services.MigrateDatabaseAsync();
await host.RunAsync();

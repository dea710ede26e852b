using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ScimBridge.Sync.Sources;
using ScimBridge.Sync.Sources.Entra;
using ScimBridge.Sync.Sources.Ldap;

namespace ScimBridge.Sync;

/// <summary>Registers the sync worker: source factories, the source catalog and its start-up validation.</summary>
public static class SyncWorkerSetup
{
    public static IHostApplicationBuilder AddSyncWorker(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IDirectorySourceFactory, EntraSourceFactory>());
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IDirectorySourceFactory, LdapSourceFactory>());
        builder.Services.TryAddSingleton<SyncSourceCatalog>();
        builder.Services.AddSingleton<IValidateOptions<SyncOptions>, SyncOptionsValidator>();
        builder.Services.AddOptions<SyncOptions>().BindConfiguration(SyncOptions.Section).ValidateOnStart();
        return builder;
    }
}

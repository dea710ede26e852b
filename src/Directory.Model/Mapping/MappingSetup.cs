using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ScimBridge.Model.Mapping;

/// <summary>Registers mapping files: options, the store of files in force, and the watcher that applies changes.</summary>
public static class MappingSetup
{
    public static IHostApplicationBuilder AddMappings(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<MappingOptions>().BindConfiguration(MappingOptions.Section)
            .Validate(o => !string.IsNullOrWhiteSpace(o.Path), "ScimBridge:Mappings:Path is required.")
            .Validate(o => o.DebounceMilliseconds >= 0, "ScimBridge:Mappings:DebounceMilliseconds must not be negative.")
            .Validate(o => o.PollSeconds >= 1, "ScimBridge:Mappings:PollSeconds must be at least 1.")
            .Validate(o => o.DeactivationThresholdPercent is >= 0 and <= 100 && o.RemovalThresholdPercent is >= 0 and <= 100,
                "ScimBridge:Mappings:DeactivationThresholdPercent and RemovalThresholdPercent must be between 0 and 100.")
            .Validate(o => o.DeactivationThresholdCount >= 0 && o.RemovalThresholdCount >= 0 && o.AlwaysAllowedUsers >= 0,
                "ScimBridge:Mappings:DeactivationThresholdCount, RemovalThresholdCount and AlwaysAllowedUsers must not be negative.")
            .ValidateOnStart();
        builder.Services.AddSingleton<MappingStore>();
        builder.Services.AddSingleton<MappingWatcher>();
        builder.Services.AddScoped<MappingApplication>();
        builder.Services.AddHostedService(services => services.GetRequiredService<MappingWatcher>());
        return builder;
    }
}

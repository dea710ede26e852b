using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using ScimBridge.Model.Audit;
using ScimBridge.Model.Commands;
using ScimBridge.Model.Mapping;
using ScimBridge.Model.Organizations;
using ScimBridge.Model.Persistence;
using ScimBridge.Model.Persistence.Postgres;
using ScimBridge.Model.Persistence.Sqlite;
using ScimBridge.Model.Provisioning;
using ScimBridge.Model.Reconcile;

namespace ScimBridge.Model;

/// <summary>Registers the directory: database, provisioning paths, audit.</summary>
public static class DirectoryModelSetup
{
    public static IHostApplicationBuilder AddDirectoryModel(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        builder.Services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section)
            .Validate(o => !string.IsNullOrWhiteSpace(o.ConnectionString), "ScimBridge:Database:ConnectionString is required.")
            .ValidateOnStart();

        switch (options.Provider)
        {
            case DatabaseProvider.Sqlite:
                builder.Services.AddSqlitePersistence(options.ConnectionString);
                break;
            case DatabaseProvider.Postgres:
                builder.Services.AddPostgresPersistence(options.ConnectionString);
                break;
            default:
                throw new InvalidOperationException($"Unknown database provider '{options.Provider}'.");
        }

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<ICommandProgress, NoCommandProgress>();
        builder.Services.AddSingleton<OrganizationSlugs>();
        builder.Services.AddScoped<AuditLog>();
        builder.Services.AddScoped<AuditVerifier>();
        builder.Services.AddScoped<UserProvisioning>();
        builder.Services.AddScoped<GroupProvisioning>();
        builder.Services.AddScoped<MembershipProvisioning>();
        builder.Services.AddScoped<OrganizationRoleProvisioning>();
        builder.Services.AddScoped<TeamMembershipProvisioning>();
        builder.Services.AddScoped<TeamProvisioning>();
        builder.Services.AddScoped<NumberProvisioning>();
        builder.Services.AddScoped<ReconcileApplier>();
        builder.Services.AddScoped<DirectoryReconciler>();
        builder.AddMappings();
        return builder;
    }
}

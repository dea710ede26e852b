using Microsoft.AspNetCore.Mvc.ApplicationModels;
using ScimBridge.Scim.Admin.Api;
using ScimBridge.Scim.Admin.Shared;
using ScimBridge.Scim.Admin.SignIn;
using ScimBridge.Scim.Options;

namespace ScimBridge.Scim.Admin;

/// <summary>
/// The admin console under <c>/admin</c>: server-rendered Razor Pages (one folder per feature below <c>Admin/</c>),
/// signed in by cookie after OpenID Connect or a one-time link. See Admin/README.md for how to add a page.
/// </summary>
public static class AdminConsole
{
    public const string BasePath = "/admin";

    /// <summary>The console's admin commands (login link, audit verify, users export) and what they use; also registered without the console.</summary>
    public static IHostApplicationBuilder AddAdminConsoleCommands(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<AdminOptions>().BindConfiguration(AdminOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<LoginLinks>();
        services.AddScoped<Users.UserSearch>();
        services.AddScoped<Export.UserExportReader>();
        services.AddScoped<Export.UserExporter>();
        services.AddScoped<ScimBridge.Model.Commands.IAdminCommand, LoginLinkCommand>();
        services.AddScoped<ScimBridge.Model.Commands.IAdminCommand, Audit.AuditVerifyCommand>();
        services.AddScoped<ScimBridge.Model.Commands.IAdminCommand, Export.UsersExportCommand>();
        return builder;
    }

    /// <summary>The pages and their sign-in; <see cref="AddAdminConsoleCommands"/> comes first.</summary>
    public static IHostApplicationBuilder AddAdminConsole(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        var options = builder.Configuration.GetSection(AdminOptions.Section).Get<AdminOptions>() ?? new AdminOptions();
        services.AddAdminAuthentication(options);
        services.AddAdminApi();
        services.AddScoped<AdminSession>();
        services.AddScoped<AdminIdentityMatcher>();
        services.AddScoped<Users.UserDetails>();
        services.AddScoped<Audit.AuditSearch>();
        services.AddScoped<Teams.TeamSearch>();
        services.AddScoped<Mapping.MappingOverview>();
        services.AddSingleton<Mapping.MappingPreviews>();
        services.AddScoped<Sync.SyncOverview>();
        services.AddScoped<Sync.SyncAudit>();
        services.AddSingleton<Sync.ConsoleSyncRuns>();
        services.AddRazorPages(pages =>
            {
                pages.RootDirectory = "/Admin";
                pages.Conventions.AuthorizeFolder("/", AdminAuthentication.Policy);
                pages.Conventions.AllowAnonymousToFolder("/SignIn");
                pages.Conventions.Add(new PageRouteModelConvention(RequireAdminRoutes));
            })
            .AddMvcOptions(mvc => mvc.Filters.Add<AdminPageFilter>());
        return builder;
    }

    public static IEndpointRouteBuilder MapAdminConsole(this IEndpointRouteBuilder app)
    {
        app.MapRazorPages();
        app.MapAdminApi();
        return app;
    }

    /// <summary>Every page states its full URL (<c>@page "/admin/users"</c>), so links and bookmarks never depend on file names.</summary>
    private static void RequireAdminRoutes(PageRouteModel model)
    {
        foreach (var selector in model.Selectors)
        {
            var template = selector.AttributeRouteModel?.Template ?? "";
            if (!template.StartsWith(BasePath[1..], StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException(
                    $"The admin page {model.RelativePath} must declare its URL under {BasePath}, e.g. @page \"{BasePath}/something\".");
            }
        }
    }

    private sealed class PageRouteModelConvention(Action<PageRouteModel> apply) : IPageRouteModelConvention
    {
        public void Apply(PageRouteModel model) => apply(model);
    }
}

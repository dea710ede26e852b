using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ScimBridge.Model.Audit;
using ScimBridge.Model.Organizations;
using ScimBridge.Model.Persistence;
using ScimBridge.Model.Provisioning;
using ScimBridge.Model.Users;

namespace ScimBridge.Scim.Tests.Infrastructure;

/// <summary>Gives a person of an organization a console role, as an Owner would, through Provisioning.</summary>
public static class ConsoleRoles
{
    public static async Task SetAsync(IServiceProvider services, string slug, string userName, OrganizationRole role)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ScimBridgeDbContext>();
        var organizationId = (await db.Organizations.SingleAsync(o => o.Slug == slug)).Id;
        var normalized = User.Normalize(userName);
        var user = await db.Users.SingleAsync(u => u.OrganizationId == organizationId && u.NormalizedUserName == normalized);
        var context = new ProvisioningContext(organizationId, AuditActor.CommandLine("test"), ManagedBySources.Manual);
        await scope.ServiceProvider.GetRequiredService<OrganizationRoleProvisioning>().SetRoleAsync(user, role, context, CancellationToken.None);
        await db.SaveChangesAsync();
    }
}

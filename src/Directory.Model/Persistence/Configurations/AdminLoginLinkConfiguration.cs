using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ScimBridge.Model.Organizations;
using ScimBridge.Model.Users;

namespace ScimBridge.Model.Persistence.Configurations;

internal sealed class AdminLoginLinkConfiguration : IEntityTypeConfiguration<AdminLoginLink>
{
    public void Configure(EntityTypeBuilder<AdminLoginLink> builder)
    {
        builder.HasKey(l => l.Id);
        builder.HasOne<Organization>().WithMany().HasForeignKey(l => l.OrganizationId);
        builder.HasOne<User>().WithMany().HasForeignKey(l => l.UserId);
        builder.HasIndex(l => l.Hash).IsUnique();
    }
}

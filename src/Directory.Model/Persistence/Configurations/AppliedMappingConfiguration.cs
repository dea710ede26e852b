using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ScimBridge.Model.Mapping;
using ScimBridge.Model.Organizations;

namespace ScimBridge.Model.Persistence.Configurations;

internal sealed class AppliedMappingConfiguration : IEntityTypeConfiguration<AppliedMapping>
{
    public void Configure(EntityTypeBuilder<AppliedMapping> builder)
    {
        builder.HasKey(a => a.OrganizationId);
        builder.HasOne<Organization>().WithMany().HasForeignKey(a => a.OrganizationId);
        builder.Property(a => a.FileName).IsRequired();
        builder.Property(a => a.Version).IsRequired().HasMaxLength(64);
    }
}

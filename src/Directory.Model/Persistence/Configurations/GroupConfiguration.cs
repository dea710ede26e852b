using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ScimBridge.Model.Groups;
using ScimBridge.Model.Organizations;

namespace ScimBridge.Model.Persistence.Configurations;

internal sealed class GroupConfiguration : IEntityTypeConfiguration<DirectoryGroup>
{
    public void Configure(EntityTypeBuilder<DirectoryGroup> builder)
    {
        builder.ToTable("Groups");
        builder.HasKey(g => g.Id);

        // The SCIM ETag; a save lands only on the version it read (see Provisioning/WriteConflicts).
        builder.Property(g => g.Version).IsConcurrencyToken();
        builder.HasOne<Organization>().WithMany().HasForeignKey(g => g.OrganizationId);
        builder.Property(g => g.DisplayName).IsRequired();
        builder.HasIndex(g => new { g.OrganizationId, g.NormalizedDisplayName });
        builder.HasIndex(g => new { g.OrganizationId, g.ExternalId });
        builder.HasIndex(g => new { g.OrganizationId, g.ManagedBy });
    }
}

internal sealed class GroupMemberConfiguration : IEntityTypeConfiguration<GroupMember>
{
    public void Configure(EntityTypeBuilder<GroupMember> builder)
    {
        builder.HasKey(m => new { m.GroupId, m.MemberId });
        builder.HasOne<DirectoryGroup>().WithMany().HasForeignKey(m => m.GroupId);
        builder.HasIndex(m => m.MemberId);
        builder.Property(m => m.MemberType).HasConversion<string>().HasMaxLength(10);
    }
}

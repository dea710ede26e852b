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
        builder.HasIndex(g => new { g.OrganizationId, g.DeletedAt, g.CreatedAt, g.Id });
    }
}

internal sealed class GroupMemberConfiguration : IEntityTypeConfiguration<GroupMember>
{
    public void Configure(EntityTypeBuilder<GroupMember> builder)
    {
        // On SQLite a WITHOUT ROWID table (written by hand in the IntegerMemberKeys migration): the rows live in the
        // primary key's B-tree, so a group's members are one range of small integer rows.
        builder.HasKey(m => new { m.GroupKey, m.MemberKey });
        builder.HasIndex(m => m.MemberKey);
        builder.Property(m => m.GroupKey).ValueGeneratedNever();
        builder.Property(m => m.MemberKey).ValueGeneratedNever();
    }
}

internal sealed class MemberKeyConfiguration : IEntityTypeConfiguration<MemberKey>
{
    public void Configure(EntityTypeBuilder<MemberKey> builder)
    {
        // SQLite: INTEGER PRIMARY KEY AUTOINCREMENT, the rowid itself, so a key's id is one rowid lookup. PostgreSQL: identity.
        builder.HasKey(k => k.Key);
        builder.Property(k => k.Key).ValueGeneratedOnAdd();
        builder.HasIndex(k => k.EntityId).IsUnique();
    }
}

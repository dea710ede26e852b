using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ScimBridge.Model.Organizations;
using ScimBridge.Model.Users;

namespace ScimBridge.Model.Persistence.Configurations;

internal sealed class UserConfiguration : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> builder)
    {
        builder.HasKey(u => u.Id);

        // The SCIM ETag; a save lands only on the version it read (see Provisioning/WriteConflicts).
        builder.Property(u => u.Version).IsConcurrencyToken();
        builder.HasOne<Organization>().WithMany().HasForeignKey(u => u.OrganizationId);
        builder.Property(u => u.UserName).IsRequired();
        builder.Property(u => u.NormalizedUserName).IsRequired();
        builder.HasIndex(u => new { u.OrganizationId, u.NormalizedUserName }).IsUnique();
        builder.HasIndex(u => new { u.OrganizationId, u.ExternalId });
        builder.HasIndex(u => new { u.OrganizationId, u.ManagedBy, u.SourceKey });
        builder.HasIndex(u => new { u.OrganizationId, u.PhoneExtension }).IsUnique();
        // The console's state filter and counts.
        builder.HasIndex(u => new { u.OrganizationId, u.Status });

        // Lists in their default order: a page at any depth is an index seek (cursor) or an index-only step (startIndex).
        builder.HasIndex(u => new { u.OrganizationId, u.DeletedAt, u.CreatedAt, u.Id });
        builder.Property(u => u.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(u => u.StatusBeforeDeactivation).HasConversion<string>().HasMaxLength(20);
        builder.Property(u => u.OrganizationRole).HasConversion<string>().HasMaxLength(10);
        builder.Ignore(u => u.Active);
        builder.Ignore(u => u.PrimaryEmail);

        builder.Property(u => u.Addresses)
            .HasConversion(
                list => JsonColumn.Write(list),
                text => JsonColumn.Read<PostalAddress>(text),
                new ValueComparer<List<PostalAddress>>(
                    (a, b) => a!.SequenceEqual(b!),
                    list => list.Aggregate(0, (hash, item) => HashCode.Combine(hash, item.GetHashCode())),
                    list => list.ToList()));

        builder.Property(u => u.Roles)
            .HasConversion(
                list => JsonColumn.Write(list),
                text => JsonColumn.Read<UserRole>(text),
                new ValueComparer<List<UserRole>>(
                    (a, b) => a!.SequenceEqual(b!),
                    list => list.Aggregate(0, (hash, item) => HashCode.Combine(hash, item.GetHashCode())),
                    list => list.ToList()));

        builder.HasMany(u => u.Emails).WithOne().HasForeignKey(e => e.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(u => u.PhoneNumbers).WithOne().HasForeignKey(p => p.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(u => u.Emails).AutoInclude();
        builder.Navigation(u => u.PhoneNumbers).AutoInclude();
    }
}

internal sealed class UserEmailConfiguration : IEntityTypeConfiguration<UserEmail>
{
    public void Configure(EntityTypeBuilder<UserEmail> builder)
    {
        builder.HasKey(e => e.Id);
        builder.HasIndex(e => e.NormalizedValue);
        builder.HasIndex(e => e.UserId);
    }
}

internal sealed class UserPhoneNumberConfiguration : IEntityTypeConfiguration<UserPhoneNumber>
{
    public void Configure(EntityTypeBuilder<UserPhoneNumber> builder)
    {
        builder.HasKey(p => p.Id);
        builder.HasIndex(p => p.UserId);
    }
}

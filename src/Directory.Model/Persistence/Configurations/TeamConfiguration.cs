using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ScimBridge.Model.Organizations;
using ScimBridge.Model.Teams;
using ScimBridge.Model.Users;

namespace ScimBridge.Model.Persistence.Configurations;

internal sealed class TeamConfiguration : IEntityTypeConfiguration<Team>
{
    public void Configure(EntityTypeBuilder<Team> builder)
    {
        builder.HasKey(t => t.Id);
        builder.HasOne<Organization>().WithMany().HasForeignKey(t => t.OrganizationId);
        builder.Property(t => t.Name).IsRequired();
        builder.HasIndex(t => new { t.OrganizationId, t.NormalizedName }).IsUnique();
        builder.Property(t => t.Version).IsConcurrencyToken();
        builder.Ignore(t => t.IsActive);
    }
}

internal sealed class TeamMembershipConfiguration : IEntityTypeConfiguration<TeamMembership>
{
    public void Configure(EntityTypeBuilder<TeamMembership> builder)
    {
        builder.HasKey(m => m.Id);
        builder.HasOne<Team>().WithMany().HasForeignKey(m => m.TeamId);
        builder.HasOne<User>().WithMany().HasForeignKey(m => m.UserId);
        builder.Property(m => m.Role).HasConversion<string>().HasMaxLength(10);
        builder.Property(m => m.Origin).HasConversion<string>().HasMaxLength(10);
        builder.HasIndex(m => new { m.TeamId, m.UserId, m.Origin }).IsUnique();
        builder.HasIndex(m => new { m.OrganizationId, m.UserId });
        builder.Ignore(m => m.IsActive);
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ScimBridge.Model.Organizations;

namespace ScimBridge.Model.Persistence.Configurations;

internal sealed class OrganizationConfiguration : IEntityTypeConfiguration<Organization>
{
    public void Configure(EntityTypeBuilder<Organization> builder)
    {
        builder.HasKey(o => o.Id);
        builder.Property(o => o.Slug).HasMaxLength(100).IsRequired();
        builder.HasIndex(o => o.Slug).IsUnique();
        builder.Property(o => o.Name).HasMaxLength(200);
        // One organization per token issuer: the issuer is how an access token finds its organization.
        builder.HasIndex(o => o.ScimJwtIssuer).IsUnique();
    }
}

internal sealed class OrganizationNumberConfiguration : IEntityTypeConfiguration<OrganizationNumber>
{
    public void Configure(EntityTypeBuilder<OrganizationNumber> builder)
    {
        builder.HasKey(n => n.Id);
        builder.HasOne<Organization>().WithMany().HasForeignKey(n => n.OrganizationId);
        builder.Property(n => n.Number).HasMaxLength(16).IsRequired();
        builder.Property(n => n.Label).HasMaxLength(ScimBridge.Model.Provisioning.NumberProvisioning.MaxLabelLength);
        builder.HasIndex(n => new { n.OrganizationId, n.Number }).IsUnique();
    }
}

internal sealed class ScimTokenConfiguration : IEntityTypeConfiguration<ScimToken>
{
    public void Configure(EntityTypeBuilder<ScimToken> builder)
    {
        builder.HasKey(t => t.Id);
        builder.HasOne<Organization>().WithMany().HasForeignKey(t => t.OrganizationId);
        builder.HasIndex(t => t.Hash).IsUnique();
        builder.Property(t => t.Name).HasMaxLength(200);
        builder.Property(t => t.Prefix).HasMaxLength(20);
    }
}

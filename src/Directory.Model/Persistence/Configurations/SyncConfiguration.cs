using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ScimBridge.Model.Reconcile;

namespace ScimBridge.Model.Persistence.Configurations;

internal sealed class SyncRunConfiguration : IEntityTypeConfiguration<SyncRun>
{
    public void Configure(EntityTypeBuilder<SyncRun> builder)
    {
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Source).IsRequired().HasMaxLength(200);
        builder.Property(r => r.Organization).IsRequired().HasMaxLength(200);
        builder.Property(r => r.Trigger).HasMaxLength(20);
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(20);
        builder.HasIndex(r => new { r.Source, r.StartedAt });
    }
}

internal sealed class SyncSourceStateConfiguration : IEntityTypeConfiguration<SyncSourceState>
{
    public void Configure(EntityTypeBuilder<SyncSourceState> builder)
    {
        builder.HasKey(s => s.Source);
        builder.Property(s => s.Source).HasMaxLength(200);
    }
}

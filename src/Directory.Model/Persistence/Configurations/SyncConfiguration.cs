using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ScimBridge.Model.Reconcile;

namespace ScimBridge.Model.Persistence.Configurations;

internal sealed class SyncRunConfiguration : IEntityTypeConfiguration<SyncRun>
{
    public const string RunningIndex = "IX_SyncRuns_Source_Running";

    public void Configure(EntityTypeBuilder<SyncRun> builder)
    {
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Source).IsRequired().HasMaxLength(200);
        builder.Property(r => r.Organization).IsRequired().HasMaxLength(200);
        builder.Property(r => r.Trigger).HasMaxLength(20);
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(20);
        builder.HasIndex(r => new { r.Source, r.StartedAt });

        // At most one running run per source: of two runs starting at once, in any process, exactly one inserts its row.
        builder.HasIndex(r => r.Source).IsUnique().HasFilter("\"Status\" = 'Running'").HasDatabaseName(RunningIndex);
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

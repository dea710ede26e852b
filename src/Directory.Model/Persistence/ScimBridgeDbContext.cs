using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using ScimBridge.Model.Audit;
using ScimBridge.Model.Groups;
using ScimBridge.Model.Organizations;
using ScimBridge.Model.Teams;
using ScimBridge.Model.Users;

namespace ScimBridge.Model.Persistence;

/// <summary>The directory's unit of work. Saving chains the hashes of new audit entries inside the same transaction.</summary>
public class ScimBridgeDbContext : DbContext
{
    public ScimBridgeDbContext(DbContextOptions<ScimBridgeDbContext> options)
        : base(options)
    {
    }

    protected ScimBridgeDbContext(DbContextOptions options)
        : base(options)
    {
    }

    public DbSet<Organization> Organizations => Set<Organization>();
    public DbSet<ScimToken> ScimTokens => Set<ScimToken>();
    public DbSet<User> Users => Set<User>();
    public DbSet<Team> Teams => Set<Team>();
    public DbSet<TeamMembership> TeamMemberships => Set<TeamMembership>();
    public DbSet<DirectoryGroup> Groups => Set<DirectoryGroup>();
    public DbSet<GroupMember> GroupMembers => Set<GroupMember>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    // Read inside every audited save; precompiled so the write lock is held for as little work as possible.
    private static readonly Func<ScimBridgeDbContext, Guid, CancellationToken, Task<string?>> LastAuditHash =
        EF.CompileAsyncQuery((ScimBridgeDbContext db, Guid organizationId, CancellationToken ct) => db.AuditEntries
            .Where(a => a.OrganizationId == organizationId)
            .OrderByDescending(a => a.Id)
            .Select(a => a.Hash)
            .FirstOrDefault());

    private SqliteWriteGate? _writeGate;
    private bool _writeGateResolved;

    public bool IsSqlite => Database.ProviderName == "Microsoft.EntityFrameworkCore.Sqlite";

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(ScimBridgeDbContext).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite cannot order or compare DateTimeOffset natively; store UTC ticks so range filters and sorting run in SQL.
        if (Database.ProviderName == "Microsoft.EntityFrameworkCore.Sqlite")
        {
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetTicksConverter>();
        }
    }

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        var newEntries = ChangeTracker.Entries<AuditEntry>()
            .Where(e => e.State == EntityState.Added)
            .Select(e => e.Entity)
            .ToList();
        if (Database.CurrentTransaction is not null)
        {
            await ChainAsync(newEntries, cancellationToken);
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }

        using var gate = WriteGate is { } writeGate ? await writeGate.EnterAsync(cancellationToken) : null;
        if (newEntries.Count == 0)
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }

        // The read of the last hash and the insert must not interleave with another writer:
        // SQLite's BEGIN IMMEDIATE takes the write lock; PostgreSQL takes an advisory lock per organization.
        await using var transaction = await Database.BeginTransactionAsync(cancellationToken);
        await ChainAsync(newEntries, cancellationToken);
        var written = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return written;
    }

    /// <summary>The process-wide SQLite writer gate, when the application registered one (see <see cref="SqliteWriteGate"/>).</summary>
    private SqliteWriteGate? WriteGate
    {
        get
        {
            if (!_writeGateResolved)
            {
                _writeGate = IsSqlite
                    ? this.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?.ApplicationServiceProvider?.GetService(typeof(SqliteWriteGate)) as SqliteWriteGate
                    : null;
                _writeGateResolved = true;
            }

            return _writeGate;
        }
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess) =>
        SaveChangesAsync(acceptAllChangesOnSuccess).GetAwaiter().GetResult();

    private async Task ChainAsync(List<AuditEntry> newEntries, CancellationToken ct)
    {
        foreach (var organization in newEntries.GroupBy(e => e.OrganizationId))
        {
            if (!IsSqlite)
            {
                await Database.ExecuteSqlAsync(
                    $"SELECT pg_advisory_xact_lock(hashtext({organization.Key.ToString()}))", ct);
            }

            var previous = await LastAuditHash(this, organization.Key, ct) ?? "";
            foreach (var entry in organization)
            {
                entry.PreviousHash = previous;
                entry.Hash = entry.ComputeHash(previous);
                previous = entry.Hash;
            }
        }
    }
}

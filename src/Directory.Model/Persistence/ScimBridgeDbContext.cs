using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore;
using ScimBridge.Model.Audit;
using ScimBridge.Model.Groups;
using ScimBridge.Model.Mapping;
using ScimBridge.Model.Organizations;
using ScimBridge.Model.Persistence.Sqlite;
using ScimBridge.Model.Reconcile;
using ScimBridge.Model.Teams;
using ScimBridge.Model.Users;

namespace ScimBridge.Model.Persistence;

/// <summary>The directory's unit of work. Saving chains the hashes of new audit entries inside the same transaction.</summary>
public class ScimBridgeDbContext : DbContext
{
    private bool? _isSqlite;

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
    public DbSet<AdminLoginLink> AdminLoginLinks => Set<AdminLoginLink>();
    public DbSet<User> Users => Set<User>();
    public DbSet<Team> Teams => Set<Team>();

    public DbSet<OrganizationNumber> OrganizationNumbers => Set<OrganizationNumber>();
    public DbSet<TeamMembership> TeamMemberships => Set<TeamMembership>();
    public DbSet<DirectoryGroup> Groups => Set<DirectoryGroup>();
    public DbSet<GroupMember> GroupMembers => Set<GroupMember>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<SyncRun> SyncRuns => Set<SyncRun>();
    public DbSet<SyncSourceState> SyncSourceStates => Set<SyncSourceState>();
    public DbSet<AppliedMapping> AppliedMappings => Set<AppliedMapping>();

    /// <summary>Users' addresses as rows, read out of their JSON; for filters only.</summary>
    public IQueryable<UserAddressRow> UserAddresses => Set<UserAddressRow>().AsNoTracking();

    private const int BulkMemberInsertThreshold = 100;

    private SqliteWriteGate? _writeGate;
    private bool _writeGateResolved;

    /// <summary>Whether this context runs on SQLite; kept after the first call, since EF works the provider name out from assembly metadata each time.</summary>
    public bool IsSqlite => _isSqlite ??= Database.ProviderName == "Microsoft.EntityFrameworkCore.Sqlite";

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(ScimBridgeDbContext).Assembly);
        Configurations.UserAddressRows.Configure(modelBuilder, IsSqlite);
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
            var heads = await AuditChain.LinkStagedAsync(this, newEntries, cancellationToken);
            var saved = await SaveTrackedAsync(acceptAllChangesOnSuccess, cancellationToken);
            await AuditChain.RelinkInIdOrderAsync(this, newEntries, heads, cancellationToken);
            return saved;
        }

        using var gate = WriteGate is { } writeGate ? await writeGate.EnterAsync(cancellationToken) : null;
        if (newEntries.Count == 0)
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }

        // The read of the last hash and the insert must not interleave with another writer:
        // SQLite's BEGIN IMMEDIATE takes the write lock; PostgreSQL takes an advisory lock per organization.
        await using var transaction = await Database.BeginTransactionAsync(cancellationToken);
        var previous = await AuditChain.LinkStagedAsync(this, newEntries, cancellationToken);
        var written = await SaveTrackedAsync(acceptAllChangesOnSuccess, cancellationToken);
        await AuditChain.RelinkInIdOrderAsync(this, newEntries, previous, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return written;
    }

    /// <summary>EF's save of the tracked changes, with many new group members written set-based (inside a transaction only).</summary>
    private async Task<int> SaveTrackedAsync(bool acceptAllChangesOnSuccess, CancellationToken ct)
    {
        var bulkMembers = TakeBulkMemberInserts();
        var written = await base.SaveChangesAsync(acceptAllChangesOnSuccess, ct);
        return written + await InsertMembersAsync(bulkMembers, ct);
    }

    /// <summary>
    /// Many new group members (a 1,000-member PATCH) are written by multi-row INSERTs instead of one INSERT each.
    /// They leave the change tracker here and are inserted after EF's save, so a group created in the same unit of work
    /// exists first. SQLite only: PostgreSQL keeps EF's batched inserts.
    /// </summary>
    private List<GroupMember> TakeBulkMemberInserts()
    {
        if (!IsSqlite)
        {
            return [];
        }

        var added = ChangeTracker.Entries<GroupMember>().Where(e => e.State == EntityState.Added).ToList();
        if (added.Count < BulkMemberInsertThreshold)
        {
            return [];
        }

        foreach (var entry in added)
        {
            entry.State = EntityState.Detached;
        }

        return [.. added.Select(e => e.Entity)];
    }

    private async Task<int> InsertMembersAsync(List<GroupMember> members, CancellationToken ct)
    {
        if (members.Count == 0)
        {
            return 0;
        }

        // ON CONFLICT DO NOTHING keeps adds idempotent should a concurrent request have added the same member meanwhile.
        await using var insert = BulkInsert.For<GroupMember>(this,
            [nameof(GroupMember.GroupId), nameof(GroupMember.MemberId), nameof(GroupMember.MemberType), nameof(GroupMember.AddedAt)],
            "ON CONFLICT DO NOTHING");
        foreach (var member in members)
        {
            await insert.AddAsync(ct, member.GroupId, member.MemberId, member.MemberType, member.AddedAt);
        }

        await insert.FlushAsync(ct);
        return members.Count;
    }

    /// <summary>The process-wide SQLite writer gate, when the application registered one (see <see cref="SqliteWriteGate"/>).</summary>
    internal SqliteWriteGate? WriteGate
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

    /// <summary>A new context on the same database with its own connection, for reads that run beside this one's.</summary>
    internal ScimBridgeDbContext CreateSibling() =>
        (ScimBridgeDbContext)Activator.CreateInstance(GetType(), this.GetService<IDbContextOptions>())!;

    public override int SaveChanges(bool acceptAllChangesOnSuccess) =>
        SaveChangesAsync(acceptAllChangesOnSuccess).GetAwaiter().GetResult();
}

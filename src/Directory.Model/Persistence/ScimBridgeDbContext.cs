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

    /// <summary>Stored member rows, by numbers; read <see cref="MemberEdges"/>, write with <see cref="AddMember"/> and <see cref="RemoveMember"/>.</summary>
    public DbSet<GroupMember> GroupMembers => Set<GroupMember>();

    /// <summary>The numbers users and groups have in member rows.</summary>
    public DbSet<MemberKey> MemberKeys => Set<MemberKey>();

    /// <summary>
    /// Group members by ids, read-only: each member row joined to its two keys. A filter on <c>GroupId</c> looks up the
    /// group's number and reads one range of the primary key; one on <c>MemberId</c> uses the member number's index.
    /// </summary>
    public IQueryable<MemberEdge> MemberEdges =>
        from m in GroupMembers.AsNoTracking()
        join g in MemberKeys.AsNoTracking() on m.GroupKey equals g.Key
        join k in MemberKeys.AsNoTracking() on m.MemberKey equals k.Key
        select new MemberEdge { GroupId = g.EntityId, MemberId = k.EntityId, MemberType = m.MemberType, AddedAt = m.AddedAt };
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<SyncRun> SyncRuns => Set<SyncRun>();
    public DbSet<SyncSourceState> SyncSourceStates => Set<SyncSourceState>();
    public DbSet<AppliedMapping> AppliedMappings => Set<AppliedMapping>();

    /// <summary>Users' addresses as rows, read out of their JSON; for filters only.</summary>
    public IQueryable<UserAddressRow> UserAddresses => Set<UserAddressRow>().AsNoTracking();

    /// <summary>The member numbers this context has seen.</summary>
    internal MemberKeyCache MemberKeyCache { get; } = new();

    /// <summary>Member rows to add, written at the next save after EF's own changes.</summary>
    private List<MemberRow> _memberAdds = [];

    /// <summary>Member rows to remove, written at the next save after EF's own changes.</summary>
    private List<(Guid GroupId, Guid MemberId)> _memberRemoves = [];

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
        if (newEntries.Count == 0 && _memberAdds.Count + _memberRemoves.Count == 0)
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

    /// <summary>
    /// Stages a member row: written at the next save, after EF's own changes (so a group created in the same unit of
    /// work exists first). Adding a member that already is one is a no-op.
    /// </summary>
    public void AddMember(Guid groupId, Guid memberId, GroupMemberType type, DateTimeOffset addedAt) =>
        _memberAdds.Add(new MemberRow(groupId, memberId, type, addedAt));

    /// <summary>Stages the removal of a member row (a no-op when it does not exist), undoing an add staged for it.</summary>
    public void RemoveMember(Guid groupId, Guid memberId)
    {
        if (_memberAdds.Count > 0)
        {
            _memberAdds.RemoveAll(a => a.GroupId == groupId && a.MemberId == memberId);
        }

        _memberRemoves.Add((groupId, memberId));
    }

    /// <summary>
    /// Forgets every change not yet saved: the tracked entities and the staged member rows alike. Callers that give up on
    /// a unit of work (a lost race, a refused change) or drop what they saved call this, never the change tracker's
    /// Clear alone, so staged member rows cannot ride along with a later save.
    /// </summary>
    public void DiscardUnsaved()
    {
        ChangeTracker.Clear();
        ForgetStagedMembers();
    }

    private void ForgetStagedMembers()
    {
        _memberAdds = [];
        _memberRemoves = [];
    }

    /// <summary>EF's save of the tracked changes, then the staged member rows (inside a transaction only).</summary>
    private async Task<int> SaveTrackedAsync(bool acceptAllChangesOnSuccess, CancellationToken ct)
    {
        var (adds, removes) = (_memberAdds, _memberRemoves);
        ForgetStagedMembers();
        var written = await base.SaveChangesAsync(acceptAllChangesOnSuccess, ct);
        if (adds.Count + removes.Count > 0)
        {
            await Sqlite.SqliteWriteCache.EnlargeAsync(this, adds.Count + removes.Count, ct);
            await MemberRows.WriteAsync(this, adds, removes, ct);
        }

        return written + adds.Count + removes.Count;
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

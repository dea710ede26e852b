using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using ScimBridge.Model.Groups;
using ScimBridge.Model.Persistence;
using ScimBridge.Model.Persistence.Sqlite;
using ScimBridge.Model.Tests.Builders;
using Xunit.Abstractions;

namespace ScimBridge.Model.Tests.Persistence;

/// <summary>
/// Member rows are stored by numbers and read by ids through <see cref="ScimBridgeDbContext.MemberEdges"/>: SQLite must
/// answer a group's members and a member's groups by index lookups (the id's number, then a range of the member rows),
/// never by reading the whole member table.
/// </summary>
public sealed class MemberEdgesQueryPlanTests(ITestOutputHelper output) : IAsyncLifetime
{
    private TestDirectory _directory = null!;
    private readonly List<Guid> _groups = [];
    private readonly List<Guid> _users = [];

    public async Task InitializeAsync()
    {
        _directory = await TestDirectory.CreateAsync();
        await using var db = _directory.NewContext();
        for (var g = 0; g < 5; g++)
        {
            var group = new DirectoryGroup { OrganizationId = _directory.Organization.Id };
            group.Rename($"G{g}");
            db.Groups.Add(group);
            _groups.Add(group.Id);
        }

        _users.AddRange(Enumerable.Range(0, 50).Select(_ => Guid.NewGuid()));
        foreach (var (user, i) in _users.Select((u, i) => (u, i)))
        {
            db.AddMember(_groups[i % 5], user, GroupMemberType.User, DateTimeOffset.UnixEpoch);
        }

        db.AddMember(_groups[0], _groups[1], GroupMemberType.Group, DateTimeOffset.UnixEpoch);
        await db.SaveChangesAsync();
    }

    public async Task DisposeAsync() => await _directory.DisposeAsync();

    [Fact]
    public async Task A_groups_members_are_a_key_lookup_and_a_range_of_the_primary_key()
    {
        var group = _groups[0];
        var plan = await PlanAsync(db => db.MemberEdges.Where(e => e.GroupId == group).ToListAsync());

        Assert.Contains(plan, step => step.Contains("IX_MemberKeys_EntityId", StringComparison.Ordinal));
        Assert.Contains(plan, step => step.Contains("PRIMARY KEY (GroupKey=?)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_members_groups_use_the_member_key_index()
    {
        var user = _users[0];
        var plan = await PlanAsync(db => db.MemberEdges.Where(e => e.MemberId == user).ToListAsync());

        Assert.Contains(plan, step => step.Contains("IX_GroupMembers_MemberKey", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Members_of_a_list_of_groups_are_lookups_per_group()
    {
        var groups = _groups.Take(2).ToArray();
        var plan = await PlanAsync(db => db.MemberEdges.Where(e => EF.Parameter(groups).Contains(e.GroupId)).ToListAsync());

        Assert.Contains(plan, step => step.Contains("PRIMARY KEY (GroupKey=?)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_users_groups_by_the_raw_statement_use_the_indexes()
    {
        var plan = await PlanAsync(db =>
        {
            // The statement as SqliteUserReader runs it, with its positional parameters named for an ADO.NET command.
            var sql = new SqliteUserStatements().For(db).Groups.Replace("?1", "@member").Replace("?2", "@type").Replace("?3", "@organization");
            return Task.FromResult<IEnumerable<(string, List<(string, object)>)>>(
            [
                (sql, [("@member", _users[0].ToString().ToUpperInvariant()), ("@type", 0), ("@organization", _directory.Organization.Id.ToString().ToUpperInvariant())]),
            ]);
        });

        Assert.Contains(plan, step => step.Contains("IX_GroupMembers_MemberKey", StringComparison.Ordinal));
    }

    /// <summary>The query plans of every statement <paramref name="query"/> runs; fails on a full scan of a table.</summary>
    private Task<List<string>> PlanAsync(Func<ScimBridgeDbContext, Task> query) =>
        PlanAsync(async db =>
        {
            var recorder = new Recorder();
            var options = new DbContextOptionsBuilder<SqliteScimBridgeDbContext>()
                .UseSqlite(db.Database.GetConnectionString())
                .AddInterceptors(recorder)
                .Options;
            await using var recorded = new SqliteScimBridgeDbContext(options);
            await query(recorded);
            return recorder.Commands;
        });

    /// <summary>The query plans of the statements <paramref name="statements"/> names; fails on a full scan of a table.</summary>
    private async Task<List<string>> PlanAsync(Func<ScimBridgeDbContext, Task<IEnumerable<(string Sql, List<(string Name, object Value)> Parameters)>>> statements)
    {
        await using var db = _directory.NewContext();
        var commands = await statements(db);

        var steps = new List<string>();
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        await connection.OpenAsync();
        foreach (var (sql, parameters) in commands)
        {
            output.WriteLine(sql);
            await using var explain = connection.CreateCommand();
            explain.CommandText = "EXPLAIN QUERY PLAN " + sql;
            foreach (var (name, value) in parameters)
            {
                explain.Parameters.AddWithValue(name, value);
            }

            await using var reader = await explain.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var detail = reader.GetString(3);
                output.WriteLine("  " + detail);
                steps.Add(detail);
            }
        }

        Assert.DoesNotContain(steps, step => step.StartsWith("SCAN", StringComparison.Ordinal) && !step.Contains("VIRTUAL TABLE", StringComparison.Ordinal));
        return steps;
    }

    private sealed class Recorder : DbCommandInterceptor
    {
        public List<(string Sql, List<(string Name, object Value)> Parameters)> Commands { get; } = [];

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Commands.Add((command.CommandText, [.. command.Parameters.Cast<DbParameter>().Select(p => (p.ParameterName, p.Value ?? DBNull.Value))]));
            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }
    }
}

using Microsoft.EntityFrameworkCore;
using ScimBridge.Model.Groups;
using ScimBridge.Model.Teams;
using ScimBridge.Model.Users;
using SQLitePCL;

namespace ScimBridge.Model.Persistence;

/// <summary>One of a user's teams (with the role) or direct groups, as a SCIM representation shows them.</summary>
public readonly record struct UserRelationRow(Guid Id, string Name, TeamRole Role, bool IsTeam);

/// <summary>
/// The SCIM lookups of one user (by id, by userName, and the user's teams and groups) on a pooled SQLite read connection
/// (<see cref="SqliteReadPool"/>), through statements prepared once per connection (<see cref="SqliteStatementCache"/>).
/// Same rows and values as the EF Core queries they stand in for, which serve everywhere else.
/// </summary>
public static class SqliteLookups
{
    private static readonly Lock Build = new();

    /// <summary>The pooled connection of the read transaction this flow is in, if any.</summary>
    private static readonly AsyncLocal<sqlite3?> Session = new();
    private static Plan? _plan;

    /// <summary>The visible (not deleted) user with this normalized userName, emails and phone numbers loaded.</summary>
    public static User? UserByNormalizedName(ScimBridgeDbContext db, Guid organizationId, string normalizedUserName) =>
        ReadUser(db, PlanFor(db).UserByName, organizationId, normalizedUserName);

    /// <summary>The visible (not deleted) user with this id, emails and phone numbers loaded.</summary>
    public static User? UserById(ScimBridgeDbContext db, Guid organizationId, Guid userId) =>
        ReadUser(db, PlanFor(db).UserById, organizationId, userId);

    /// <summary>The user's live team memberships (teams not deleted) and direct groups (not deleted).</summary>
    public static List<UserRelationRow> Relations(ScimBridgeDbContext db, Guid organizationId, Guid userId, bool teams, bool groups)
    {
        var plan = PlanFor(db);
        var connection = Current;
        var rows = new List<UserRelationRow>();
        if (teams)
        {
            SqliteStatementCache.Run(connection, plan.Teams, [organizationId, userId], s => rows.Add(new UserRelationRow(
                Guid.Parse(raw.sqlite3_column_text(s, 0).utf8_to_string()), raw.sqlite3_column_text(s, 1).utf8_to_string(),
                Enum.Parse<TeamRole>(raw.sqlite3_column_text(s, 2).utf8_to_string()), IsTeam: true)));
        }

        if (groups)
        {
            SqliteStatementCache.Run(connection, plan.Groups, [userId, plan.UserMemberType, organizationId], s => rows.Add(new UserRelationRow(
                Guid.Parse(raw.sqlite3_column_text(s, 0).utf8_to_string()), raw.sqlite3_column_text(s, 1).utf8_to_string(),
                TeamRole.Viewer, IsTeam: false)));
        }

        return rows;
    }

    private static User? ReadUser(ScimBridgeDbContext db, string sql, Guid organizationId, object key)
    {
        var plan = PlanFor(db);
        var connection = Current;
        User? user = null;
        SqliteStatementCache.Run(connection, sql, [organizationId, key], s => user = plan.Users.Read(s));
        if (user is not null)
        {
            SqliteStatementCache.Run(connection, plan.Emails, [user.Id], s => user.Emails.Add(plan.EmailRows.Read(s)));
            SqliteStatementCache.Run(connection, plan.Phones, [user.Id], s => user.PhoneNumbers.Add(plan.PhoneRows.Read(s)));
        }

        return user;
    }

    /// <summary>
    /// Runs <paramref name="work"/> in one read transaction on a connection of <paramref name="pool"/>; inside it
    /// <see cref="InSession"/> is true and the lookups here may be used. Where there is no pool connection (another
    /// provider, a database in memory, a write already in progress) <paramref name="work"/> runs as it is, and the caller
    /// uses its EF Core queries. One transaction for all of a request's lookups: each statement run on its own starts
    /// and ends a read transaction, whose WAL locks (fcntl, and a mutex every connection shares) cost more under
    /// concurrent requests than the lookups themselves.
    /// </summary>
    public static async Task<T> InReadTransactionAsync<T>(ScimBridgeDbContext db, SqliteReadPool? pool, Func<Task<T>> work, CancellationToken ct)
    {
        if (pool is null || !db.IsSqlite || db.Database.CurrentTransaction is not null || Session.Value is not null
            || await pool.RentAsync(db, ct) is not { } pooled)
        {
            return await work();
        }

        try
        {
            Execute(pooled, "BEGIN");
            Session.Value = pooled;
            return await work();
        }
        finally
        {
            Session.Value = null;
            try
            {
                if (raw.sqlite3_get_autocommit(pooled) == 0)
                {
                    Execute(pooled, "COMMIT");
                }
            }
            finally
            {
                // Still inside its transaction after a failed COMMIT, the connection is closed instead of kept.
                pool.Return(pooled);
            }
        }
    }

    /// <summary>Whether this flow is inside <see cref="InReadTransactionAsync"/> on a pooled connection.</summary>
    public static bool InSession => Session.Value is not null;

    private static void Execute(sqlite3 connection, string sql) => SqliteStatementCache.Run(connection, sql, []);

    private static sqlite3 Current =>
        Session.Value ?? throw new InvalidOperationException("SQLite lookups run only inside InReadTransactionAsync on a pooled connection.");

    private static Plan PlanFor(ScimBridgeDbContext db)
    {
        if (_plan is { } plan)
        {
            return plan;
        }

        lock (Build)
        {
            return _plan ??= new Plan(db);
        }
    }

    /// <summary>SQL and row readers, built once from the SQLite model (names, converters) so they match what EF Core writes.</summary>
    private sealed class Plan
    {
        public Plan(ScimBridgeDbContext db)
        {
            Users = SqliteRowReader<User>.For(db.Model);
            EmailRows = SqliteRowReader<UserEmail>.For(db.Model);
            PhoneRows = SqliteRowReader<UserPhoneNumber>.For(db.Model);
            var (users, u) = BulkCommand.Names<User>(db);
            var visible = $"{u(nameof(User.OrganizationId))} = ?1 AND {u(nameof(User.DeletedAt))} IS NULL";
            UserByName = $"SELECT {Users.SelectList} FROM {users} WHERE {visible} AND {u(nameof(User.NormalizedUserName))} = ?2";
            UserById = $"SELECT {Users.SelectList} FROM {users} WHERE {visible} AND {u(nameof(User.Id))} = ?2";
            var (emails, e) = BulkCommand.Names<UserEmail>(db);
            Emails = $"SELECT {EmailRows.SelectList} FROM {emails} WHERE {e(nameof(UserEmail.UserId))} = ?1";
            var (phones, p) = BulkCommand.Names<UserPhoneNumber>(db);
            Phones = $"SELECT {PhoneRows.SelectList} FROM {phones} WHERE {p(nameof(UserPhoneNumber.UserId))} = ?1";

            var (memberships, m) = BulkCommand.Names<TeamMembership>(db);
            var (teams, t) = BulkCommand.Names<Team>(db);
            Teams = $"SELECT t.{t(nameof(Team.Id))}, t.{t(nameof(Team.Name))}, m.{m(nameof(TeamMembership.Role))} FROM {memberships} m " +
                    $"JOIN {teams} t ON t.{t(nameof(Team.Id))} = m.{m(nameof(TeamMembership.TeamId))} " +
                    $"WHERE m.{m(nameof(TeamMembership.OrganizationId))} = ?1 AND m.{m(nameof(TeamMembership.UserId))} = ?2 " +
                    $"AND m.{m(nameof(TeamMembership.RemovedAt))} IS NULL AND t.{t(nameof(Team.DeletedAt))} IS NULL";
            var (members, gm) = BulkCommand.Names<GroupMember>(db);
            var (groups, g) = BulkCommand.Names<DirectoryGroup>(db);
            Groups = $"SELECT g.{g(nameof(DirectoryGroup.Id))}, g.{g(nameof(DirectoryGroup.DisplayName))} FROM {members} gm " +
                     $"JOIN {groups} g ON g.{g(nameof(DirectoryGroup.Id))} = gm.{gm(nameof(GroupMember.GroupId))} " +
                     $"WHERE gm.{gm(nameof(GroupMember.MemberId))} = ?1 AND gm.{gm(nameof(GroupMember.MemberType))} = ?2 " +
                     $"AND g.{g(nameof(DirectoryGroup.OrganizationId))} = ?3 AND g.{g(nameof(DirectoryGroup.DeletedAt))} IS NULL";
            var memberType = BulkCommand.Column<GroupMember>(db, nameof(GroupMember.MemberType)).GetTypeMapping().Converter;
            UserMemberType = memberType?.ConvertToProvider(GroupMemberType.User) ?? GroupMemberType.User;
        }

        public SqliteRowReader<User> Users { get; }
        public SqliteRowReader<UserEmail> EmailRows { get; }
        public SqliteRowReader<UserPhoneNumber> PhoneRows { get; }
        public string UserByName { get; }
        public string UserById { get; }
        public string Emails { get; }
        public string Phones { get; }
        public string Teams { get; }
        public string Groups { get; }
        public object UserMemberType { get; }
    }
}

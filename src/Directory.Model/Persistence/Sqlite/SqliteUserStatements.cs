using ScimBridge.Model.Groups;
using ScimBridge.Model.Teams;
using ScimBridge.Model.Users;

namespace ScimBridge.Model.Persistence.Sqlite;

/// <summary>
/// The SQL and row readers of <see cref="SqliteUserReader"/>, built once from the SQLite model (names, converters) so they
/// match what EF Core writes. One per process, registered at setup.
/// </summary>
public sealed class SqliteUserStatements
{
    private readonly Lock _build = new();
    private Plan? _plan;

    internal Plan For(ScimBridgeDbContext db)
    {
        if (_plan is { } plan)
        {
            return plan;
        }

        lock (_build)
        {
            return _plan ??= new Plan(db);
        }
    }

    /// <summary>SQL and row readers, built once from the SQLite model (names, converters) so they match what EF Core writes.</summary>
    internal sealed class Plan
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
            var (keys, k) = BulkCommand.Names<MemberKey>(db);
            var (groups, g) = BulkCommand.Names<DirectoryGroup>(db);
            // CROSS JOIN fixes SQLite's join order: the member's number, its rows by the member index, then each group.
            Groups = $"SELECT g.{g(nameof(DirectoryGroup.Id))}, g.{g(nameof(DirectoryGroup.DisplayName))} FROM {keys} mk " +
                     $"CROSS JOIN {members} gm ON gm.{gm(nameof(GroupMember.MemberKey))} = mk.{k(nameof(MemberKey.Key))} " +
                     $"CROSS JOIN {keys} gk ON gk.{k(nameof(MemberKey.Key))} = gm.{gm(nameof(GroupMember.GroupKey))} " +
                     $"CROSS JOIN {groups} g ON g.{g(nameof(DirectoryGroup.Id))} = gk.{k(nameof(MemberKey.EntityId))} " +
                     $"WHERE mk.{k(nameof(MemberKey.EntityId))} = ?1 AND gm.{gm(nameof(GroupMember.MemberType))} = ?2 " +
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

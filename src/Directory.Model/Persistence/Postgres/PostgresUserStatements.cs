using ScimBridge.Model.Groups;
using ScimBridge.Model.Teams;
using ScimBridge.Model.Users;

namespace ScimBridge.Model.Persistence.Postgres;

/// <summary>
/// The SQL and row readers of <see cref="PostgresUserReader"/>, built once from the PostgreSQL model (names, converters)
/// so they match what EF Core writes. One per process, registered at setup.
/// </summary>
public sealed class PostgresUserStatements
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

    /// <summary>
    /// Five statements sent as one batch: the user, its e-mails, phone numbers, teams and groups, each found by the same
    /// key (?1 organization, ?2 the user's id or normalized userName; ?3 the member type of a user in a group).
    /// </summary>
    internal sealed class Plan
    {
        public Plan(ScimBridgeDbContext db)
        {
            Users = PostgresRowReader<User>.For(db.Model);
            EmailRows = PostgresRowReader<UserEmail>.For(db.Model);
            PhoneRows = PostgresRowReader<UserPhoneNumber>.For(db.Model);
            var (users, u) = BulkCommand.Names<User>(db);
            var (emails, e) = BulkCommand.Names<UserEmail>(db);
            var (phones, p) = BulkCommand.Names<UserPhoneNumber>(db);
            var (memberships, m) = BulkCommand.Names<TeamMembership>(db);
            var (teams, t) = BulkCommand.Names<Team>(db);
            var (members, gm) = BulkCommand.Names<GroupMember>(db);
            var (keys, k) = BulkCommand.Names<MemberKey>(db);
            var (groups, g) = BulkCommand.Names<DirectoryGroup>(db);

            string[] Lookup(string key) =>
            [
                $"SELECT {Users.SelectListOf("u")} FROM {users} u WHERE u.{u(nameof(User.OrganizationId))} = $1 AND u.{key} = $2 AND u.{u(nameof(User.DeletedAt))} IS NULL",
                $"SELECT {EmailRows.SelectListOf("e")} FROM {emails} e JOIN {users} u ON u.{u(nameof(User.Id))} = e.{e(nameof(UserEmail.UserId))} " +
                $"WHERE u.{u(nameof(User.OrganizationId))} = $1 AND u.{key} = $2 AND u.{u(nameof(User.DeletedAt))} IS NULL ORDER BY e.{e(nameof(UserEmail.Id))}",
                $"SELECT {PhoneRows.SelectListOf("p")} FROM {phones} p JOIN {users} u ON u.{u(nameof(User.Id))} = p.{p(nameof(UserPhoneNumber.UserId))} " +
                $"WHERE u.{u(nameof(User.OrganizationId))} = $1 AND u.{key} = $2 AND u.{u(nameof(User.DeletedAt))} IS NULL ORDER BY p.{p(nameof(UserPhoneNumber.Id))}",
                .. Relations($"JOIN {users} u ON u.{u(nameof(User.Id))} = {{0}} AND u.{u(nameof(User.OrganizationId))} = $1 AND u.{key} = $2 AND u.{u(nameof(User.DeletedAt))} IS NULL"),
            ];

            string[] Relations(string join) =>
            [
                $"SELECT t.{t(nameof(Team.Id))}, t.{t(nameof(Team.Name))}, m.{m(nameof(TeamMembership.Role))} FROM {memberships} m " +
                $"JOIN {teams} t ON t.{t(nameof(Team.Id))} = m.{m(nameof(TeamMembership.TeamId))} " +
                string.Format(System.Globalization.CultureInfo.InvariantCulture, join, $"m.{m(nameof(TeamMembership.UserId))}") + " " +
                $"WHERE m.{m(nameof(TeamMembership.OrganizationId))} = $1 " +
                $"AND m.{m(nameof(TeamMembership.RemovedAt))} IS NULL AND t.{t(nameof(Team.DeletedAt))} IS NULL",
                $"SELECT g.{g(nameof(DirectoryGroup.Id))}, g.{g(nameof(DirectoryGroup.DisplayName))} FROM {members} gm " +
                $"JOIN {keys} mk ON mk.{k(nameof(MemberKey.Key))} = gm.{gm(nameof(GroupMember.MemberKey))} " +
                $"JOIN {keys} gk ON gk.{k(nameof(MemberKey.Key))} = gm.{gm(nameof(GroupMember.GroupKey))} " +
                $"JOIN {groups} g ON g.{g(nameof(DirectoryGroup.Id))} = gk.{k(nameof(MemberKey.EntityId))} " +
                string.Format(System.Globalization.CultureInfo.InvariantCulture, join, $"mk.{k(nameof(MemberKey.EntityId))}") + " " +
                $"WHERE gm.{gm(nameof(GroupMember.MemberType))} = $3 " +
                $"AND g.{g(nameof(DirectoryGroup.OrganizationId))} = $1 AND g.{g(nameof(DirectoryGroup.DeletedAt))} IS NULL",
            ];

            ById = Lookup(u(nameof(User.Id)));
            ByName = Lookup(u(nameof(User.NormalizedUserName)));
            RelationsById = Relations($"JOIN {users} u ON u.{u(nameof(User.Id))} = {{0}} AND u.{u(nameof(User.Id))} = $2");
            var memberType = BulkCommand.Column<GroupMember>(db, nameof(GroupMember.MemberType)).GetTypeMapping().Converter;
            UserMemberType = memberType?.ConvertToProvider(GroupMemberType.User) ?? GroupMemberType.User;
        }

        public PostgresRowReader<User> Users { get; }
        public PostgresRowReader<UserEmail> EmailRows { get; }
        public PostgresRowReader<UserPhoneNumber> PhoneRows { get; }
        public IReadOnlyList<string> ById { get; }
        public IReadOnlyList<string> ByName { get; }

        /// <summary>The teams and groups statements alone, by user id.</summary>
        public IReadOnlyList<string> RelationsById { get; }

        public object UserMemberType { get; }
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using ScimBridge.Model.Organizations;
using ScimBridge.Model.Persistence;
using ScimBridge.Model.Teams;

namespace ScimBridge.Model.Tests.Persistence;

/// <summary>
/// Upgrading a database made before organizations had numbers: every base number a team has becomes one of its
/// organization's numbers, once, so existing teams keep what they have and stay valid.
/// </summary>
public sealed class OrganizationNumbersMigrationTests(PostgresDatabase server) : IClassFixture<PostgresDatabase>
{
    private const string Before = "OneRunningRunPerSource";

    [Fact]
    public async Task On_SQLite_the_teams_base_numbers_become_their_organizations_numbers() => await MigrationDatabases.OnSqliteAsync(AssertUpgradeAsync);

    [Fact]
    public async Task On_PostgreSQL_the_teams_base_numbers_become_their_organizations_numbers() => await AssertUpgradeAsync(MigrationDatabases.OnPostgres(server, "numbers"));

    private static async Task AssertUpgradeAsync(Func<ScimBridgeDbContext> newContext)
    {
        Organization acme, other;
        await using (var db = newContext())
        {
            await db.GetService<IMigrator>().MigrateAsync(Before);
            acme = new Organization { Slug = "acme", Name = "Acme", CreatedAt = DateTimeOffset.UnixEpoch };
            other = new Organization { Slug = "other", Name = "Other", CreatedAt = DateTimeOffset.UnixEpoch };
            db.Organizations.AddRange(acme, other);
            db.Teams.AddRange(
                Team(acme, "Sales", "+4930111111", "+4930222222"),
                Team(acme, "Support", "+4930222222"),
                Team(other, "Sales", "+4930111111"),
                Team(other, "Empty"));
            await db.SaveChangesAsync();
        }

        await using (var db = newContext())
        {
            await db.Database.MigrateAsync();
            var numbers = await db.OrganizationNumbers.AsNoTracking().ToListAsync();

            Assert.Equal(["+4930111111", "+4930222222"], numbers.Where(n => n.OrganizationId == acme.Id).Select(n => n.Number).Order());
            Assert.Equal(["+4930111111"], numbers.Where(n => n.OrganizationId == other.Id).Select(n => n.Number));
            Assert.Equal(numbers.Count, numbers.Select(n => n.Id).Distinct().Count());
        }
    }

    private static Team Team(Organization organization, string name, params string[] numbers)
    {
        var team = new Team { OrganizationId = organization.Id, CreatedAt = DateTimeOffset.UnixEpoch, BaseNumbers = [.. numbers] };
        team.Rename(name);
        return team;
    }
}

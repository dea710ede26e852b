using Microsoft.EntityFrameworkCore;
using ScimBridge.Model.Groups;
using ScimBridge.Model.Organizations;
using ScimBridge.Model.Persistence;
using ScimBridge.Model.Users;

namespace ScimBridge.Scim.Tests.Filtering;

/// <summary>A migrated SQLite file with a handful of users and groups that the translation tests query.</summary>
public sealed class FilterDatabase : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "scimbridge-filter-tests", Guid.NewGuid().ToString("N"));

    public Dictionary<string, Guid> UserIds { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, Guid> GroupIds { get; } = new(StringComparer.Ordinal);

    public static readonly DateTimeOffset January = new(2024, 1, 1, 9, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset March = new(2024, 3, 1, 9, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset May = new(2024, 5, 1, 9, 0, 0, TimeSpan.Zero);

    public SqliteScimBridgeDbContext Open() =>
        new(new DbContextOptionsBuilder<SqliteScimBridgeDbContext>()
            .UseSqlite($"Data Source={Path.Combine(_folder, "filter.db")}")
            .Options);

    public async Task InitializeAsync()
    {
        System.IO.Directory.CreateDirectory(_folder);
        await using var db = Open();
        await db.Database.MigrateAsync();
        var organization = new Organization { Slug = "acme", Name = "Acme", CreatedAt = January };
        db.Organizations.Add(organization);

        var alice = NewUser(organization, new UserProfile
        {
            UserName = "alice@example.com",
            ExternalId = "ext-Alice",
            Name = new PersonName("Alice", "Archer", "Ann", "Dr.", "PhD", "Dr. Alice Ann Archer PhD"),
            DisplayName = "Alice Archer",
            NickName = "Al",
            ProfileUrl = "https://example.com/alice",
            Title = "Engineer",
            UserType = "Employee",
            PreferredLanguage = "en",
            Locale = "en-US",
            TimeZone = "Europe/Berlin",
            Emails = [new EmailAddress("alice@example.com", "work", true), new EmailAddress("alice.home@gmail.com", "home")],
            PhoneNumbers = [new PhoneNumber("+1 555 0100", "work", true)],
            Enterprise = new EnterpriseAttributes("1001", "CC-1", "Acme Corp", "R&D", "Engineering", "mgr-1"),
            Platform = new PlatformAttributes("101", "+15550100", "Acme", "Standard"),
        }, January, March);
        var bob = NewUser(organization, new UserProfile
        {
            UserName = "Bob@Example.com",
            ExternalId = "12345",
            Name = new PersonName("Bob", "Baker"),
            DisplayName = "Bob Baker",
            Title = "Sales Lead",
            Emails = [new EmailAddress("bob@example.com", "work", true), new EmailAddress("bob@x.org", "home")],
            PhoneNumbers = [new PhoneNumber("+1 555 0200", "mobile")],
            Enterprise = new EnterpriseAttributes("1002", Department: "Sales", ManagerId: "MGR-1"),
            Platform = new PlatformAttributes("102", SubscriptionTier: "Premium"),
        }, March, May);
        bob.Deactivate(May);
        var carol = NewUser(organization, new UserProfile
        {
            UserName = "carol",
            ExternalId = "EXT-ALICE",
            Name = new PersonName("Carol", "Clark"),
            DisplayName = "Carol Clark",
            NickName = "José",
        }, May, May.AddHours(1));
        var dave = NewUser(organization, new UserProfile
        {
            UserName = "dave@x.org",
            DisplayName = "Dave Dunn",
            Title = "",
            Emails = [new EmailAddress("dave@x.org", "work"), new EmailAddress("dave@example.com", "home", true)],
            Platform = new PlatformAttributes("103", CompanyName: "Initech"),
        }, May.AddDays(1), May.AddDays(1));

        var engineering = NewGroup(organization, "Engineering", "grp-1", January);
        var sales = NewGroup(organization, "Sales", "GRP-2", March);
        var empty = NewGroup(organization, "Empty Group", null, May);
        foreach (var (group, member) in new[] { (engineering, alice), (engineering, bob), (sales, bob) })
        {
            db.AddMember(group.Id, member.Id, GroupMemberType.User, May);
        }

        db.AddMember(engineering.Id, sales.Id, GroupMemberType.Group, May);

        db.Users.AddRange(alice, bob, carol, dave);
        db.Groups.AddRange(engineering, sales, empty);
        await db.SaveChangesAsync();
    }

    public Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    private User NewUser(Organization organization, UserProfile profile, DateTimeOffset created, DateTimeOffset updated)
    {
        var user = new User { OrganizationId = organization.Id, CreatedAt = created, UpdatedAt = updated };
        user.ApplyProfile(profile);
        UserIds[profile.UserName.Split('@')[0].ToLowerInvariant()] = user.Id;
        return user;
    }

    private DirectoryGroup NewGroup(Organization organization, string name, string? externalId, DateTimeOffset created)
    {
        var group = new DirectoryGroup
        {
            OrganizationId = organization.Id,
            ExternalId = externalId,
            ManagedBy = "scim",
            CreatedAt = created,
            UpdatedAt = created,
        };
        group.Rename(name);
        GroupIds[name] = group.Id;
        return group;
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ScimBridge.Model.Organizations;
using ScimBridge.Model.Groups;
using ScimBridge.Model.Mapping;
using ScimBridge.Model.Provisioning;
using ScimBridge.Model.Teams;
using ScimBridge.Model.Tests.Builders;
using ScimBridge.Model.Users;

namespace ScimBridge.Model.Tests.Mapping;

/// <summary>A test directory with a mappings folder for organization <c>acme</c>, and helpers to build users and groups.</summary>
internal sealed class MappingScenario : IAsyncDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"scimbridge-mappings-{Guid.NewGuid():N}");

    private MappingScenario(TestDirectory directory)
    {
        Directory = directory;
        System.IO.Directory.CreateDirectory(_folder);
        Store = new MappingStore(
            Options.Create(new MappingOptions { Path = _folder }),
            new HostingEnvironment { ContentRootPath = _folder },
            NullLogger<MappingStore>.Instance,
            directory.Clock);
    }

    public TestDirectory Directory { get; }
    public MappingStore Store { get; }
    public Guid OrganizationId => Directory.Organization.Id;

    public MembershipProvisioning Memberships =>
        new(Directory.Db, Store, new OrganizationSlugs(), Directory.Audit, Directory.Clock, NullLogger<MembershipProvisioning>.Instance);

    public static async Task<MappingScenario> CreateAsync() => new(await TestDirectory.CreateAsync());

    /// <summary>Writes <c>acme.yaml</c>, reloads the store and puts a valid version in force (no guard here); returns the load errors, if any.</summary>
    public IReadOnlyList<MappingError> WriteMapping(string yaml, string fileName = "acme.yaml")
    {
        File.WriteAllText(Path.Combine(_folder, fileName), yaml);
        Store.Reload();
        var status = Store.Statuses.Single(s => s.FileName == fileName);
        if (status.Errors.Count == 0)
        {
            Store.Accept(Store.CandidateFor(status.Organization!)!);
        }

        return status.Errors;
    }

    public async Task<User> UserAsync(string userName)
    {
        var user = await Directory.Users.CreateAsync(Profiles.Person(userName), Directory.Context, default);
        await Directory.Db.SaveChangesAsync();
        return user;
    }

    public async Task<DirectoryGroup> GroupAsync(string displayName, string? externalId = null, string? dn = null, params Guid[] members)
    {
        var group = Directory.Groups.Create(displayName, externalId, Directory.Context, dn);
        await Directory.Groups.AddMembersAsync(group, members, Directory.Context, default);
        await Directory.Db.SaveChangesAsync();
        return group;
    }

    public async Task<Team> TeamAsync(string name)
    {
        var team = new Team { OrganizationId = OrganizationId, CreatedAt = Directory.Clock.GetUtcNow(), CreatedBy = "admin:test" };
        team.Rename(name);
        Directory.Db.Teams.Add(team);
        await Directory.Db.SaveChangesAsync();
        return team;
    }

    public Task RecomputeAllAsync() => Memberships.RecomputeOrganizationAsync(OrganizationId, Model.Audit.AuditActor.Mapping("acme.yaml"), default);

    /// <summary>The user's active teams with the effective (highest) role, read through a fresh context.</summary>
    public async Task<Dictionary<string, TeamRole>> TeamsOfAsync(Guid userId)
    {
        await using var read = Directory.NewContext();
        var rows = await (from m in read.TeamMemberships
                          join t in read.Teams on m.TeamId equals t.Id
                          where m.UserId == userId && m.RemovedAt == null
                          select new { t.Name, m.Role }).ToListAsync();
        return rows.GroupBy(r => r.Name).ToDictionary(g => g.Key, g => g.Max(r => r.Role));
    }

    public async Task<List<TeamMembership>> MembershipRowsAsync(Guid userId)
    {
        await using var read = Directory.NewContext();
        return await read.TeamMemberships.Where(m => m.UserId == userId).ToListAsync();
    }

    public async Task<User> ReadUserAsync(Guid userId)
    {
        await using var read = Directory.NewContext();
        return await read.Users.SingleAsync(u => u.Id == userId);
    }

    public async ValueTask DisposeAsync()
    {
        await Directory.DisposeAsync();
        System.IO.Directory.Delete(_folder, recursive: true);
    }
}

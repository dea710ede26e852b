using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using ScimBridge.Model.Reconcile;

namespace ScimBridge.Sync.Tests.Runs;

/// <summary>
/// A real <c>sync run</c> process killed with SIGKILL in the middle of applying a first sync of a few thousand LDAP
/// users: its lease runs out, it shows as Abandoned with what it had applied, and the next run ends in exactly the
/// state a clean database reaches with one uninterrupted run (users, groups, members, team memberships).
/// </summary>
public abstract class SyncCrashRecoveryTests : IAsyncLifetime
{
    private const string Root = "ou=crash," + SlapdServer.Suffix;
    private const string People = "ou=people," + Root;
    private const string Groups = "ou=groups," + Root;
    private const int UserCount = 3000;
    private const int GroupCount = 40;
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "scimbridge-crash-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly Dictionary<string, IDictionary<string, string?>> _databases = [];
    private SlapdServer _slapd = null!;

    /// <summary>A fresh database for the service runs in <paramref name="folder"/>: a SQLite file there, or PostgreSQL in the subclass.</summary>
    protected virtual IDictionary<string, string?> NewDatabase(string folder) => SyncDatabases.Sqlite(Path.Combine(folder, "scimbridge.db"));

    private IDictionary<string, string?> DatabaseOf(string folder)
    {
        if (!_databases.TryGetValue(folder, out var database))
        {
            database = NewDatabase(folder);
            _databases[folder] = database;
        }
        return database;
    }

    public async Task InitializeAsync()
    {
        System.IO.Directory.CreateDirectory(_folder);
        var ldif = Path.Combine(_folder, "seed.ldif");
        await File.WriteAllTextAsync(ldif, Seed());
        _slapd = await SlapdServer.StartAsync(new SlapdOptions { SeedLdifPath = ldif });
    }

    public Task DisposeAsync()
    {
        _slapd.Dispose();
        System.IO.Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_sync_run_killed_mid_apply_is_abandoned_and_the_next_run_reaches_the_state_of_a_clean_sync()
    {
        var crashed = Path.Combine(_folder, "crashed");
        var clean = Path.Combine(_folder, "clean");
        foreach (var folder in new[] { crashed, clean })
        {
            System.IO.Directory.CreateDirectory(Path.Combine(folder, "mappings"));
            await File.WriteAllTextAsync(Path.Combine(folder, "mappings", "acme.yaml"), Mapping());
            var (exit, output) = await RunAsync(folder, "tokens", "create", "--org", "acme");
            Assert.True(exit == 0, output);
        }

        // Killed as soon as the run has written past its first thousand audited changes, well before it ends.
        var (killed, killedRunId) = await KillMidApplyAsync(crashed);
        Assert.True(killed, "the run finished before it could be killed; the directory is too small for this machine");

        var (rerunExit, rerun) = await RerunAsync(crashed);
        var (cleanExit, cleanOutput) = await RunAsync(clean, "sync", "run", "--source", "corp");
        var (_, runs) = await RunAsync(crashed, "sync", "runs");

        Assert.True(rerunExit == 0, rerun);
        Assert.Contains("read: full", rerun, StringComparison.Ordinal);
        Assert.True(cleanExit == 0, cleanOutput);
        var abandoned = runs.Split('\n').SkipWhile(l => !l.StartsWith(killedRunId.ToString(CultureInfo.InvariantCulture) + " ", StringComparison.Ordinal)).Take(2).ToList();
        Assert.Contains("Abandoned", abandoned[0], StringComparison.Ordinal);
        Assert.Contains("it had applied", abandoned[1], StringComparison.Ordinal);
        Assert.Contains("user.created", abandoned[1], StringComparison.Ordinal);
        var expected = await StateAsync(clean);
        var actual = await StateAsync(crashed);
        Assert.Equal(expected.Count, actual.Count);
        Assert.Equal(expected, actual);
        Assert.Contains(expected, line => line.StartsWith("team ", StringComparison.Ordinal));
    }

    private async Task<(bool Killed, long RunId)> KillMidApplyAsync(string folder)
    {
        using var process = Start(folder, "sync", "run", "--source", "corp");
        var drained = Task.WhenAll(process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
        var deadline = TimeProvider.System.GetUtcNow().AddMinutes(3);
        try
        {
            while (!process.HasExited && TimeProvider.System.GetUtcNow() < deadline)
            {
                if (await AppliedSoFarAsync(folder) is { Changes: > 1000 } run)
                {
                    process.Kill();
                    await process.WaitForExitAsync();
                    return (true, run.RunId);
                }
                await Task.Delay(10);
            }
            return (false, 0);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
            await drained;
        }
    }

    /// <summary>The running run and how many audited changes it made, read beside the writer.</summary>
    private async Task<(long RunId, long Changes)?> AppliedSoFarAsync(string folder)
    {
        var database = DatabaseOf(folder);
        if (!SyncDatabases.IsPostgres(database) && !File.Exists(Path.Combine(folder, "scimbridge.db")))
        {
            return null;
        }
        try
        {
            await using var db = SyncDatabases.Open(database);
            var running = await db.SyncRuns.AsNoTracking().Where(r => r.Status == SyncRunStatus.Running).Select(r => (long?)r.Id).FirstOrDefaultAsync();
            if (running is not { } id)
            {
                return null;
            }
            var actor = "sync:corp#" + id.ToString(CultureInfo.InvariantCulture);
            return (id, await db.AuditEntries.AsNoTracking().LongCountAsync(a => a.Actor == actor));
        }
        catch (DbException)
        {
            return null; // not created or migrated yet, or busy
        }
    }

    /// <summary>Runs again until the killed run's lease has run out (2 s here) and the run goes ahead.</summary>
    private async Task<(int Exit, string Output)> RerunAsync(string folder)
    {
        var deadline = TimeProvider.System.GetUtcNow().AddMinutes(2);
        while (true)
        {
            var (exit, output) = await RunAsync(folder, "sync", "run", "--source", "corp");
            if (!output.Contains("still in progress", StringComparison.Ordinal) || TimeProvider.System.GetUtcNow() > deadline)
            {
                return (exit, output);
            }
        }
    }

    /// <summary>Everything a run decides, by source keys and names (ids differ between the two databases).</summary>
    private async Task<List<string>> StateAsync(string folder)
    {
        await using var db = SyncDatabases.Open(DatabaseOf(folder));
        var users = await db.Users.AsNoTracking().IgnoreAutoIncludes().Select(u => new { u.Id, u.SourceKey, u.UserName, u.Status, u.OrganizationRole, u.DefaultTeamId }).ToListAsync();
        var groups = await db.Groups.AsNoTracking().Select(g => new { g.Id, g.ExternalId, g.DisplayName, Deleted = g.DeletedAt != null }).ToListAsync();
        var teams = await db.Teams.AsNoTracking().Select(t => new { t.Id, t.Name }).ToListAsync();
        var names = users.ToDictionary(u => u.Id, u => "user:" + u.SourceKey);
        foreach (var group in groups)
        {
            names[group.Id] = "group:" + group.ExternalId;
        }
        var teamNames = teams.ToDictionary(t => t.Id, t => t.Name);
        var members = await db.MemberEdges.Select(m => new { m.GroupId, m.MemberId }).ToListAsync();
        var memberships = await db.TeamMemberships.AsNoTracking().Select(m => new { m.TeamId, m.UserId, m.Role, m.Origin, Removed = m.RemovedAt != null }).ToListAsync();
        List<string> state =
        [
            .. users.Select(u => $"user {u.SourceKey} {u.UserName} {u.Status} {u.OrganizationRole} {(u.DefaultTeamId is { } t ? teamNames[t] : "-")}"),
            .. groups.Select(g => $"group {g.ExternalId} {g.DisplayName} {g.Deleted}"),
            .. members.Select(m => $"member {names[m.GroupId]} {names[m.MemberId]}"),
            .. teams.Select(t => $"team {t.Name}"),
            .. memberships.Select(m => $"membership {teamNames[m.TeamId]} {names[m.UserId]} {m.Role} {m.Origin} {m.Removed}"),
        ];
        return [.. state.Order(StringComparer.Ordinal)];
    }

    private async Task<(int Exit, string Output)> RunAsync(string folder, params string[] arguments)
    {
        using var process = Start(folder, arguments);
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await errors);
    }

    private Process Start(string folder, params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = folder };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ScimBridge.Scim.dll"));
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        const string source = "ScimBridge__Sync__Sources__0__";
        var settings = new Dictionary<string, string>
        {
            ["ScimBridge__Mappings__Path"] = Path.Combine(folder, "mappings"),
            ["ScimBridge__Sync__Enabled"] = "false",
            ["ScimBridge__Sync__RunLeaseSeconds"] = "2",
            // Small transactions, so that the run is killed between two of them with many still to come.
            ["ScimBridge__Sync__ChangesPerTransaction"] = "500",
            ["Serilog__MinimumLevel__Default"] = "Warning",
            [source + "Name"] = "corp",
            [source + "Organization"] = "acme",
            [source + "Type"] = "Ldap",
            [source + "Url"] = _slapd.Url,
            [source + "BindDn"] = SlapdServer.AdminDn,
            [source + "Password"] = SlapdServer.AdminPassword,
            [source + "UserBaseDn"] = People,
            [source + "GroupBaseDn"] = Groups,
            [source + "TimeoutSeconds"] = "30",
        };
        foreach (var (key, value) in settings.Concat(SyncDatabases.AsEnvironment(DatabaseOf(folder))))
        {
            info.Environment[key] = value;
        }
        return Process.Start(info) ?? throw new InvalidOperationException("the service did not start");
    }

    /// <summary>Groups team00..team09 map to teams T0..T9 (team0N as ADMIN, the rest as MEMBER through nesting).</summary>
    private static string Mapping()
    {
        var text = new StringBuilder("organization: acme\nunmappedUsers: keep\nrules:\n");
        for (var g = 0; g < 10; g++)
        {
            text.Append(CultureInfo.InvariantCulture, $"  - group: {{ cn: \"team{g:D2}\" }}\n    team: T{g}\n    role: {(g % 3 == 0 ? "ADMIN" : "MEMBER")}\n");
        }
        return text.ToString();
    }

    /// <summary>3,000 users; user i is in groups i mod 40, i/7 mod 40 and i/50 mod 40; teamNN (NN ≥ 10) is nested in team(NN mod 10).</summary>
    private static string Seed()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"dn: {SlapdServer.Suffix}\nobjectClass: top\nobjectClass: dcObject\nobjectClass: organization\ndc: example\no: Example\n\n");
        foreach (var dn in new[] { Root, People, Groups })
        {
            text.Append(CultureInfo.InvariantCulture, $"dn: {dn}\nobjectClass: top\nobjectClass: organizationalUnit\nou: {dn[3..dn.IndexOf(',', StringComparison.Ordinal)]}\n\n");
        }
        var members = Enumerable.Range(0, GroupCount).Select(_ => new SortedSet<string>(StringComparer.Ordinal)).ToArray();
        for (var i = 1; i <= UserCount; i++)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"dn: uid=user{i:D5},{People}\nobjectClass: top\nobjectClass: person\nobjectClass: organizationalPerson\nobjectClass: inetOrgPerson\nuid: user{i:D5}\ncn: User {i}\nsn: {i}\ngivenName: User\nmail: user{i:D5}@example.org\n\n");
            foreach (var g in new[] { i % GroupCount, i / 7 % GroupCount, i / 50 % GroupCount })
            {
                members[g].Add($"uid=user{i:D5},{People}");
            }
        }
        for (var g = 10; g < GroupCount; g++)
        {
            members[g % 10].Add($"cn=team{g:D2},{Groups}");
        }
        for (var g = 0; g < GroupCount; g++)
        {
            text.Append(CultureInfo.InvariantCulture, $"dn: cn=team{g:D2},{Groups}\nobjectClass: top\nobjectClass: groupOfNames\ncn: team{g:D2}\n");
            foreach (var member in members[g])
            {
                text.Append(CultureInfo.InvariantCulture, $"member: {member}\n");
            }
            text.Append('\n');
        }
        return text.ToString();
    }
}

public sealed class SyncCrashRecoveryTestsOnSqlite : SyncCrashRecoveryTests;

/// <summary>The same crash on PostgreSQL: the killed process's connection dies with it, its lease runs out the same way.</summary>
public sealed class SyncCrashRecoveryTestsOnPostgres(PostgresDatabase server) : SyncCrashRecoveryTests, IClassFixture<PostgresDatabase>
{
    protected override IDictionary<string, string?> NewDatabase(string folder) => SyncDatabases.Postgres(server);
}

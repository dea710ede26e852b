using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using ScimBridge.Model.Groups;
using ScimBridge.Model.Organizations;
using ScimBridge.Model.Persistence;
using ScimBridge.Model.Persistence.Sqlite;
using ScimBridge.Model.Teams;
using ScimBridge.Model.Users;

namespace ScimBridge.Bench;

/// <summary>
/// List paging at 100,000 users with dense memberships (each user in 10 of 1,000 groups and 3 of 100 teams: 1.3 million
/// membership rows): page 1, deep startIndex pages, and a walk through every page by cursor, each next to the raw
/// SQLite statements that read the same page from the same file in the same run.
/// </summary>
public static class PagingBenchmark
{
    private const int Groups = 1_000;
    private const int Teams = 100;
    private const int GroupsPerUser = 10;
    private const int TeamsPerUser = 3;
    private const int PageSize = 100;

    public static async Task RunAsync(int users)
    {
        Console.WriteLine($"Paging: {users:N0} users, each in {GroupsPerUser} of {Groups:N0} groups and {TeamsPerUser} of {Teams} teams");
        string? databaseFile = null;
        var (service, token) = await ServiceProcess.StartAsync("bench", seed: async file =>
        {
            databaseFile = file;
            await SeedOrReuseAsync(file, users);
        });
        await using var _ = service;
        using var http = new HttpClient { BaseAddress = service.BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        await using var raw = new SqliteConnection($"Data Source={databaseFile};Mode=ReadOnly");
        await raw.OpenAsync();
        var organizationId = await ScalarAsync<string>(raw, "SELECT Id FROM Organizations WHERE Slug = 'bench'");
        var deep = users / 2;
        var last = users - PageSize + 1;

        // Warm-up of both: JIT, statement caches, the file's pages in the OS cache.
        for (var i = 0; i < 50; i++)
        {
            await GetAsync(http, $"/scim/v2/Users?count={PageSize}&startIndex={1 + (i * 997 % users)}");
            await RawPageAsync(raw, organizationId, (i * 997) % users);
        }

        Console.WriteLine($"{"",-58} {"p50",8} {"p99",8}   {"raw SQLite p50",15}");
        await CompareAsync($"GET /Users?count={PageSize}", 200,
            () => GetAsync(http, $"/scim/v2/Users?count={PageSize}"), () => RawPageAsync(raw, organizationId, 0));
        await CompareAsync($"GET /Users?count={PageSize}&attributes=userName", 200,
            () => GetAsync(http, $"/scim/v2/Users?count={PageSize}&attributes=userName"), () => RawPageAsync(raw, organizationId, 0, relations: false));
        await CompareAsync($"GET /Users?startIndex={deep + 1:D}&count={PageSize}", 100,
            () => GetAsync(http, $"/scim/v2/Users?startIndex={deep + 1}&count={PageSize}"), () => RawPageAsync(raw, organizationId, deep));
        await CompareAsync($"GET /Users?startIndex={last:D}&count={PageSize}", 100,
            () => GetAsync(http, $"/scim/v2/Users?startIndex={last}&count={PageSize}"), () => RawPageAsync(raw, organizationId, last - 1));
        await WalkAsync(http, raw, organizationId, users);
    }

    /// <summary>Follows nextCursor from the first page to the last, timing each page; the raw side walks by keyset.</summary>
    private static async Task WalkAsync(HttpClient http, SqliteConnection raw, string organizationId, int users)
    {
        var pages = new List<double>();
        var seen = 0;
        var cursor = "";
        var total = Stopwatch.StartNew();
        while (cursor is not null)
        {
            var started = Stopwatch.GetTimestamp();
            using var doc = JsonDocument.Parse(await GetAsync(http, $"/scim/v2/Users?count={PageSize}&cursor={Uri.EscapeDataString(cursor)}"));
            pages.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            seen += doc.RootElement.GetProperty("Resources").GetArrayLength();
            cursor = doc.RootElement.TryGetProperty("nextCursor", out var next) ? next.GetString() : null;
        }

        total.Stop();
        var rawPages = new List<double>();
        (long CreatedAt, string Id)? after = null;
        do
        {
            var started = Stopwatch.GetTimestamp();
            after = await RawKeysetPageAsync(raw, organizationId, after);
            rawPages.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        while (after is not null);

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{$"cursor walk, {pages.Count:N0} pages ({seen:N0} of {users:N0} users, {total.Elapsed.TotalSeconds:F1} s)",-58} {Percentile(pages, 50),8:F2} {Percentile(pages, 99),8:F2}   {Percentile(rawPages, 50),15:F2}"));
    }

    private static async Task CompareAsync(string name, int requests, Func<Task<string>> service, Func<Task> raw)
    {
        var times = new List<double>(requests);
        var rawTimes = new List<double>(requests);
        for (var i = 0; i < requests; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await service();
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            started = Stopwatch.GetTimestamp();
            await raw();
            rawTimes.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-58} {Percentile(times, 50),8:F2} {Percentile(times, 99),8:F2}   {Percentile(rawTimes, 50),15:F2}"));
    }

    private static async Task<string> GetAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode ? body : throw new InvalidOperationException($"{path} answered {(int)response.StatusCode}: {body}");
    }

    /// <summary>The floor for one page: the users' rows, their e-mails, teams and groups, read by plain statements.</summary>
    private static async Task RawPageAsync(SqliteConnection raw, string organizationId, int offset, bool relations = true)
    {
        var ids = await ReadIdsAsync(raw, """
            SELECT * FROM Users WHERE OrganizationId = $o AND DeletedAt IS NULL ORDER BY CreatedAt, Id LIMIT $n OFFSET $skip
            """, ("$o", organizationId), ("$n", PageSize), ("$skip", offset));
        await ScalarAsync<long>(raw, $"SELECT COUNT(*) FROM Users WHERE OrganizationId = '{organizationId}' AND DeletedAt IS NULL");
        if (relations)
        {
            await RelationsAsync(raw, organizationId, ids);
        }
    }

    private static async Task<(long, string)?> RawKeysetPageAsync(SqliteConnection raw, string organizationId, (long CreatedAt, string Id)? after)
    {
        var sql = "SELECT * FROM Users WHERE OrganizationId = $o AND DeletedAt IS NULL "
            + (after is null ? "" : "AND (CreatedAt, Id) > ($c, $id) ") + "ORDER BY CreatedAt, Id LIMIT $n";
        await using var command = raw.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$o", organizationId);
        command.Parameters.AddWithValue("$n", PageSize);
        command.Parameters.AddWithValue("$c", after?.CreatedAt ?? 0);
        command.Parameters.AddWithValue("$id", after?.Id ?? "");
        var ids = new List<string>(PageSize);
        (long, string)? lastKey = null;
        await using (var reader = await command.ExecuteReaderAsync())
        {
            var created = reader.GetOrdinal("CreatedAt");
            while (await reader.ReadAsync())
            {
                ReadAll(reader);
                ids.Add(reader.GetString(0));
                lastKey = (reader.GetInt64(created), reader.GetString(0));
            }
        }

        await RelationsAsync(raw, organizationId, ids);
        return ids.Count == PageSize ? lastKey : null;
    }

    private static async Task RelationsAsync(SqliteConnection raw, string organizationId, List<string> ids)
    {
        var list = string.Join(',', ids.Select(id => $"'{id}'"));
        await ReadIdsAsync(raw, $"SELECT * FROM UserEmail WHERE UserId IN ({list})");
        await ReadIdsAsync(raw, $"""
            SELECT m.UserId, t.Id, t.Name, m.Role FROM TeamMemberships m JOIN Teams t ON t.Id = m.TeamId
            WHERE m.OrganizationId = '{organizationId}' AND m.UserId IN ({list}) AND m.RemovedAt IS NULL AND t.DeletedAt IS NULL
            UNION ALL
            SELECT u.EntityId, g.Id, g.DisplayName, NULL FROM MemberKeys u JOIN GroupMembers gm ON gm.MemberKey = u.Key
            JOIN MemberKeys gk ON gk.Key = gm.GroupKey JOIN Groups g ON g.Id = gk.EntityId
            WHERE u.EntityId IN ({list}) AND gm.MemberType = 0 AND g.DeletedAt IS NULL
            """);
    }

    private static async Task<List<string>> ReadIdsAsync(SqliteConnection raw, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = raw.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ReadAll(reader);
            ids.Add(reader.GetValue(0).ToString()!);
        }

        return ids;
    }

    private static void ReadAll(SqliteDataReader reader)
    {
        for (var i = 0; i < reader.FieldCount; i++)
        {
            _ = reader.GetValue(i);
        }
    }

    private static async Task<T> ScalarAsync<T>(SqliteConnection raw, string sql)
    {
        await using var command = raw.CreateCommand();
        command.CommandText = sql;
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
    }

    /// <summary>
    /// Seeding takes minutes on a busy machine; with <c>SCIMBRIDGE_BENCH_SEED_CACHE</c> naming a folder, a seeded file is
    /// kept there and copied on later runs with the same user count.
    /// </summary>
    private static async Task SeedOrReuseAsync(string file, int users)
    {
        var cache = Environment.GetEnvironmentVariable("SCIMBRIDGE_BENCH_SEED_CACHE");
        var cached = cache is null ? null : Path.Combine(cache, $"paging-{users}.db");
        if (cached is not null && File.Exists(cached))
        {
            File.Copy(cached, file);
            Console.WriteLine($"seed copied from {cached}");
            return;
        }

        await SeedAsync(file, users);
        if (cached is not null)
        {
            System.IO.Directory.CreateDirectory(cache!);
            File.Copy(file, cached);
        }
    }

    /// <summary>Users with an e-mail each, created a millisecond apart; group and team memberships spread evenly.</summary>
    private static async Task SeedAsync(string file, int userCount)
    {
        var watch = Stopwatch.StartNew();
        var options = new DbContextOptionsBuilder<SqliteScimBridgeDbContext>().UseSqlite($"Data Source={file}").AddInterceptors(new SqlitePragmas()).Options;
        var start = TimeProvider.System.GetUtcNow().AddDays(-1);
        var organization = new Organization { Slug = "bench", Name = "bench", CreatedAt = start };
        var groups = new DirectoryGroup[Groups];
        var teams = new Team[Teams];
        await using (var db = new SqliteScimBridgeDbContext(options))
        {
            await db.Database.MigrateAsync();
            db.Organizations.Add(organization);
            for (var i = 0; i < Groups; i++)
            {
                groups[i] = new DirectoryGroup { OrganizationId = organization.Id, ManagedBy = ManagedBySources.Scim, CreatedAt = start, UpdatedAt = start };
                groups[i].Rename($"G{i:D4}");
            }

            for (var i = 0; i < Teams; i++)
            {
                teams[i] = new Team { OrganizationId = organization.Id, CreatedAt = start, CreatedBy = "bench" };
                teams[i].Rename($"T{i:D2}");
            }

            db.Groups.AddRange(groups);
            db.Teams.AddRange(teams);
            await db.SaveChangesAsync();
        }

        for (var from = 0; from < userCount; from += 10_000)
        {
            await using var db = new SqliteScimBridgeDbContext(options);
            await using var transaction = await db.Database.BeginTransactionAsync();
            var users = new List<User>();
            for (var u = from; u < Math.Min(userCount, from + 10_000); u++)
            {
                var at = start.AddMilliseconds(u);
                var user = new User { OrganizationId = organization.Id, ManagedBy = ManagedBySources.Scim, CreatedAt = at, UpdatedAt = at };
                user.Rename($"user{u}@bench.example");
                user.DisplayName = $"User {u}";
                user.GivenName = $"Given{u}";
                user.FamilyName = "Family";
                user.Department = $"Dept {u % 50}";
                users.Add(user);
            }

            await BulkInsert.RunAsync(db, users, default);
            await BulkInsert.RunAsync(db, users.Select(u => new UserEmail
            {
                UserId = u.Id, Value = u.UserName, NormalizedValue = u.NormalizedUserName, Type = "work", Primary = true,
            }), default);
            await MemberRows.WriteAsync(db, users.SelectMany((u, i) => Enumerable.Range(0, GroupsPerUser).Select(k => new MemberRow(
                groups[((from + i) * 7 + k * 101) % Groups].Id, u.Id, GroupMemberType.User, start)).DistinctBy(m => m.GroupId)), [], default);
            await BulkInsert.RunAsync(db, users.SelectMany((u, i) => Enumerable.Range(0, TeamsPerUser).Select(k => new TeamMembership
            {
                OrganizationId = organization.Id, TeamId = teams[((from + i) * 3 + k * 37) % Teams].Id, UserId = u.Id,
                Role = (TeamRole)(k % 3 + 1), Origin = MembershipOrigin.Mapping, CreatedAt = start, UpdatedAt = start,
            }).DistinctBy(m => m.TeamId)), default);
            await transaction.CommitAsync();
        }

        SqliteConnection.ClearAllPools();
        Console.WriteLine($"seeded {userCount:N0} users, {userCount * (GroupsPerUser + TeamsPerUser):N0} memberships in {watch.Elapsed.TotalSeconds:F0} s");
    }
}

using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace ScimBridge.Bench;

/// <summary>
/// The floor the SCIM server is compared with, run as its own process like the service: bare Kestrel answering a fixed
/// SCIM user, one raw SQLite insert per request (WAL, one writer), one raw indexed SQLite lookup per request.
/// No authentication, logging, EF Core or audit: what is left is HTTP, JSON and SQLite. With a PostgreSQL connection string
/// in <see cref="DatabaseVariable"/> the insert and the lookup are raw PostgreSQL statements instead (Npgsql, pooled).
/// </summary>
public static class BaselineServer
{
    /// <summary>The environment variable holding the PostgreSQL connection string of a PostgreSQL baseline; empty for SQLite.</summary>
    public const string DatabaseVariable = "SCIMBRIDGE_BASELINE_POSTGRES";

    private const string ScimJson = "application/scim+json";

    private static readonly byte[] FixedUser = Encoding.UTF8.GetBytes("""
        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"2819c223-7f76-453a-919d-413861904646","userName":"bjensen@example.com",
         "name":{"givenName":"Barbara","familyName":"Jensen"},"displayName":"Babs Jensen","active":true,
         "emails":[{"value":"bjensen@example.com","type":"work","primary":true}],
         "meta":{"resourceType":"User","created":"2026-01-01T00:00:00Z","lastModified":"2026-01-01T00:00:00Z","version":"W/\"1\""}}
        """);

    public static async Task RunAsync(string[] args)
    {
        if (Environment.GetEnvironmentVariable(DatabaseVariable) is { Length: > 0 } postgres)
        {
            await RunOnPostgresAsync(args, postgres);
            return;
        }

        var folder = args[1];
        var connectionString = $"Data Source={Path.Combine(folder, "baseline.db")}";
        await using var writer = new SqliteConnection(connectionString);
        await writer.OpenAsync();
        Execute(writer, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; CREATE TABLE users (id TEXT PRIMARY KEY, user_name TEXT NOT NULL UNIQUE, body TEXT NOT NULL);");
        using var oneWriter = new SemaphoreSlim(1, 1);

        var app = WebApplication.CreateSlimBuilder(args[2..]).Build();
        app.MapGet("/fixed/Users/{id}", (HttpContext http) =>
        {
            http.Response.ContentType = ScimJson;
            return http.Response.Body.WriteAsync(FixedUser).AsTask();
        });
        app.MapPost("/raw/Users", async (HttpContext http) =>
        {
            using var body = await JsonDocument.ParseAsync(http.Request.Body);
            var userName = body.RootElement.GetProperty("userName").GetString()!;
            var id = Guid.NewGuid().ToString();
            await oneWriter.WaitAsync();
            try
            {
                using var insert = writer.CreateCommand();
                insert.CommandText = "INSERT INTO users (id, user_name, body) VALUES ($id, $userName, $body)";
                insert.Parameters.AddWithValue("$id", id);
                insert.Parameters.AddWithValue("$userName", userName);
                insert.Parameters.AddWithValue("$body", body.RootElement.GetRawText());
                insert.ExecuteNonQuery();
            }
            finally
            {
                oneWriter.Release();
            }

            http.Response.StatusCode = StatusCodes.Status201Created;
            http.Response.ContentType = ScimJson;
            await http.Response.WriteAsync($$"""{"id":"{{id}}","userName":{{JsonSerializer.Serialize(userName)}}}""");
        });
        app.MapGet("/raw/Users", async (HttpContext http) =>
        {
            // Only the benchmark's own filter shape: userName eq "…".
            var filter = http.Request.Query["filter"].ToString();
            var userName = filter[(filter.IndexOf('"') + 1)..filter.LastIndexOf('"')];
            await using var reader = new SqliteConnection(connectionString);
            reader.Open();
            using var select = reader.CreateCommand();
            select.CommandText = "SELECT body FROM users WHERE user_name = $userName";
            select.Parameters.AddWithValue("$userName", userName);
            var found = select.ExecuteScalar() as string;
            http.Response.ContentType = ScimJson;
            await http.Response.WriteAsync(found is null
                ? """{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":0,"Resources":[]}"""
                : $$"""{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":1,"Resources":[{{found}}]}""");
        });
        await app.RunAsync();
    }

    private static async Task RunOnPostgresAsync(string[] args, string connectionString)
    {
        await using var source = NpgsqlDataSource.Create(connectionString);
        await using (var create = source.CreateCommand("CREATE TABLE users (id uuid PRIMARY KEY, user_name text NOT NULL UNIQUE, body text NOT NULL)"))
        {
            await create.ExecuteNonQueryAsync();
        }

        var app = WebApplication.CreateSlimBuilder(args[2..]).Build();
        app.MapGet("/fixed/Users/{id}", (HttpContext http) =>
        {
            http.Response.ContentType = ScimJson;
            return http.Response.Body.WriteAsync(FixedUser).AsTask();
        });
        app.MapPost("/raw/Users", async (HttpContext http) =>
        {
            using var body = await JsonDocument.ParseAsync(http.Request.Body);
            var userName = body.RootElement.GetProperty("userName").GetString()!;
            var id = Guid.NewGuid();
            await using var insert = source.CreateCommand("INSERT INTO users (id, user_name, body) VALUES ($1, $2, $3)");
            insert.Parameters.Add(new NpgsqlParameter { Value = id });
            insert.Parameters.Add(new NpgsqlParameter { Value = userName });
            insert.Parameters.Add(new NpgsqlParameter { Value = body.RootElement.GetRawText() });
            await insert.ExecuteNonQueryAsync();
            http.Response.StatusCode = StatusCodes.Status201Created;
            http.Response.ContentType = ScimJson;
            await http.Response.WriteAsync($$"""{"id":"{{id}}","userName":{{JsonSerializer.Serialize(userName)}}}""");
        });
        app.MapGet("/raw/Users", async (HttpContext http) =>
        {
            var filter = http.Request.Query["filter"].ToString();
            var userName = filter[(filter.IndexOf('"') + 1)..filter.LastIndexOf('"')];
            await using var select = source.CreateCommand("SELECT body FROM users WHERE user_name = $1");
            select.Parameters.Add(new NpgsqlParameter { Value = userName });
            var found = await select.ExecuteScalarAsync() as string;
            http.Response.ContentType = ScimJson;
            await http.Response.WriteAsync(found is null
                ? """{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":0,"Resources":[]}"""
                : $$"""{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":1,"Resources":[{{found}}]}""");
        });
        await app.RunAsync();
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}

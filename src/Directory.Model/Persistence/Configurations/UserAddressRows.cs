using Microsoft.EntityFrameworkCore;
using ScimBridge.Model.Users;

namespace ScimBridge.Model.Persistence.Configurations;

/// <summary>
/// Maps <see cref="UserAddressRow"/> to a query over the users' address JSON (no table: migrations do not see it). The
/// JSON keys are those <see cref="UserConfiguration"/> writes (camelCase). Filters reach it as a correlated EXISTS, which
/// both databases run per user row through the primary key.
/// </summary>
internal static class UserAddressRows
{
    private static readonly string[] Keys = ["type", "formatted", "streetAddress", "locality", "region", "postalCode", "country"];

    public static void Configure(ModelBuilder modelBuilder, bool sqlite)
    {
        var text = string.Join(", ", Keys.Select(key => sqlite
            ? $"json_extract(a.value, '$.{key}') AS \"{char.ToUpperInvariant(key[0])}{key[1..]}\""
            : $"a ->> '{key}' AS \"{char.ToUpperInvariant(key[0])}{key[1..]}\""));
        var sql = sqlite
            ? $"SELECT u.\"Id\" AS \"UserId\", {text}, COALESCE(json_extract(a.value, '$.primary'), 0) AS \"Primary\" " +
              "FROM \"Users\" AS u, json_each(u.\"Addresses\") AS a"
            : $"SELECT u.\"Id\" AS \"UserId\", {text}, COALESCE((a ->> 'primary')::boolean, FALSE) AS \"Primary\" " +
              "FROM \"Users\" AS u CROSS JOIN LATERAL json_array_elements(u.\"Addresses\"::json) AS a";
        modelBuilder.Entity<UserAddressRow>().HasNoKey().ToSqlQuery(sql);
    }
}

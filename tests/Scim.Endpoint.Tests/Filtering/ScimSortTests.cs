using Microsoft.EntityFrameworkCore;
using ScimBridge.Scim.Errors;
using ScimBridge.Scim.Filtering;

namespace ScimBridge.Scim.Tests.Filtering;

public class ScimSortTests(FilterDatabase database) : IClassFixture<FilterDatabase>
{
    private async Task<string> SortUsers(string? sortBy, string? sortOrder)
    {
        await using var db = database.Open();
        var ids = await ScimSort.Apply(db.Users, sortBy, sortOrder).Select(u => u.Id).ToListAsync();
        var names = database.UserIds.ToDictionary(kv => kv.Value, kv => kv.Key);
        return string.Join(",", ids.Select(id => names[id]));
    }

    [Theory]
    [InlineData("userName", null, "alice,bob,carol,dave")]
    [InlineData("USERNAME", "descending", "dave,carol,bob,alice")]
    [InlineData("name.familyName", "ascending", "dave,alice,bob,carol")]
    [InlineData("urn:ietf:params:scim:schemas:core:2.0:User:name.givenName", "Descending", "carol,bob,alice,dave")]
    [InlineData("meta.created", "descending", "dave,carol,bob,alice")]
    [InlineData("meta.lastModified", null, "alice,bob,carol,dave")]
    [InlineData("emails", null, "carol,alice,bob,dave")]
    [InlineData("emails.value", "descending", "dave,bob,alice,carol")]
    [InlineData("urn:ietf:params:scim:schemas:extension:scimbridge:2.0:User:extension", "descending", "dave,bob,alice,carol")]
    public async Task Users_sort_by_a_single_valued_attribute(string sortBy, string? sortOrder, string expected)
    {
        Assert.Equal(expected, await SortUsers(sortBy, sortOrder));
    }

    [Fact]
    public async Task Enterprise_attribute_sorts_with_absent_values_last_when_descending()
    {
        var order = await SortUsers("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber", "descending");

        Assert.StartsWith("bob,alice,", order, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ties_are_broken_by_id_so_pages_are_stable()
    {
        await using var db = database.Open();

        // Carol and Dave have no department, Alice and Bob do: within the tie the order is by id.
        var ids = await ScimSort.Apply(db.Users, "department", null).Select(u => u.Id).ToListAsync();

        var noTitle = new[] { database.UserIds["carol"], database.UserIds["dave"] }.OrderBy(InDatabaseOrder, StringComparer.Ordinal).ToList();
        Assert.Equal(noTitle, ids.Take(2).ToList());
    }

    // SQLite stores GUIDs as upper-case text and orders them as text.
    private static string InDatabaseOrder(Guid id) => id.ToString().ToUpperInvariant();

    [Fact]
    public async Task Without_sortBy_users_come_in_id_order()
    {
        await using var db = database.Open();

        var ids = await ScimSort.Apply(db.Users, null, null).Select(u => u.Id).ToListAsync();

        Assert.Equal(database.UserIds.Values.OrderBy(InDatabaseOrder, StringComparer.Ordinal).ToList(), ids);
    }

    [Fact]
    public async Task Sort_applies_after_a_filter()
    {
        await using var db = database.Open();
        var filtered = UserFilter.Apply(db.Users, ScimFilterParser.Parse("active eq true"), db.UserAddresses);

        var ids = await ScimSort.Apply(filtered, "displayName", "descending").Select(u => u.Id).ToListAsync();

        Assert.Equal([database.UserIds["dave"], database.UserIds["carol"], database.UserIds["alice"]], ids);
    }

    [Theory]
    [InlineData("displayName", null, "Empty Group,Engineering,Sales")]
    [InlineData("displayName", "descending", "Sales,Engineering,Empty Group")]
    [InlineData("meta.created", "descending", "Empty Group,Sales,Engineering")]
    public async Task Groups_sort_by_a_single_valued_attribute(string sortBy, string? sortOrder, string expected)
    {
        await using var db = database.Open();
        var names = database.GroupIds.ToDictionary(kv => kv.Value, kv => kv.Key);

        var ids = await ScimSort.Apply(db.Groups, sortBy, sortOrder).Select(g => g.Id).ToListAsync();

        Assert.Equal(expected, string.Join(",", ids.Select(id => names[id])));
    }

    [Theory]
    [InlineData("foo", null)]
    [InlineData("emails.type", null)]
    [InlineData("name..x", null)]
    [InlineData("userName", "sideways")]
    public void Unknown_sortBy_or_sortOrder_is_an_invalid_value(string sortBy, string? sortOrder)
    {
        using var db = database.Open();

        var error = Assert.Throws<ScimException>(() => ScimSort.Apply(db.Users, sortBy, sortOrder));

        Assert.Equal(ScimErrorTypes.InvalidValue, error.ScimType);
        Assert.Equal(400, error.Status);
    }

    [Fact]
    public void Members_are_not_sortable()
    {
        using var db = database.Open();

        Assert.Throws<ScimException>(() => ScimSort.Apply(db.Groups, "members", null));
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using ScimBridge.Model.Persistence;

namespace ScimBridge.Model.Tests.Persistence;

/// <summary>
/// The service loads the compiled models of Persistence/CompiledModels instead of building its model at start. They are
/// generated code: after a change to an entity or its configuration they describe the old model until
/// <c>scripts/regen-compiled-models.sh</c> runs again, and these tests fail until it has.
/// </summary>
public sealed class CompiledModelTests
{
    private const string Fix = "The compiled model in src/Directory.Model/Persistence/CompiledModels is stale: run scripts/regen-compiled-models.sh.";

    [Fact]
    public void The_SQLite_context_runs_on_a_compiled_model_that_matches_its_configuration()
    {
        using var db = new SqliteScimBridgeDbContext(new DbContextOptionsBuilder<SqliteScimBridgeDbContext>().UseSqlite("Data Source=:memory:").Options);
        AssertCurrent(db);
    }

    [Fact]
    public void The_PostgreSQL_context_runs_on_a_compiled_model_that_matches_its_configuration()
    {
        using var db = new PostgresScimBridgeDbContext(new DbContextOptionsBuilder<PostgresScimBridgeDbContext>().UseNpgsql("Host=localhost;Database=unused").Options);
        AssertCurrent(db);
    }

    private static void AssertCurrent(ScimBridgeDbContext db)
    {
        var compiled = db.Model;
        Assert.Equal("CompiledModels", compiled.GetType().Namespace?.Split('.')[^2]);

        // The model the entity configurations build now, as migrations see it.
        var built = db.GetService<IDesignTimeModel>().Model;
        var expected = Describe(built);
        var actual = Describe(compiled);
        Assert.True(expected == actual, $"{Fix}\nFirst difference: {FirstDifference(expected, actual)}");
    }

    /// <summary>
    /// Entities, properties, keys, indexes and relationships as EF Core prints them (annotations aside: a compiled model
    /// keeps only those needed at run time), then the tables, views and columns they map to, with store types and conversions.
    /// </summary>
    private static string Describe(IModel model)
    {
        var text = new System.Text.StringBuilder(model.ToDebugString(MetadataDebugStringOptions.LongDefault & ~MetadataDebugStringOptions.IncludeAnnotations));
        foreach (var entity in model.GetEntityTypes().OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            text.AppendLine($"{entity.Name}: table {entity.GetTableName()}, query {entity.GetSqlQuery()}");
            foreach (var property in entity.GetProperties())
            {
                text.AppendLine($"  {property.Name}: {property.GetColumnName()} {property.GetRelationalTypeMapping().StoreType} "
                    + $"{Conversion(property)} {property.GetProviderClrType()?.Name}");
            }
        }

        foreach (var table in model.GetRelationalModel().Tables.OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            text.AppendLine($"table {table.Name}: {string.Join(", ", table.Columns.Select(c => $"{c.Name} {c.StoreType} {(c.IsNullable ? "null" : "not null")}"))}");
            foreach (var index in table.Indexes.OrderBy(i => i.Name, StringComparer.Ordinal))
            {
                text.AppendLine($"  index {index.Name} ({string.Join(", ", index.Columns.Select(c => c.Name))}) {(index.IsUnique ? "unique" : "")} {index.Filter}");
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// What a property's value converter converts, by its two types: the compiled model, generated for ahead-of-time use,
    /// holds it on the type mapping and as a plain converter of the same types (an enum's number converter, a JSON column's).
    /// </summary>
    private static string Conversion(IReadOnlyProperty property) =>
        (property.GetValueConverter() ?? ((IProperty)property).GetTypeMapping().Converter) is { } converter
            ? $"{converter.ModelClrType.Name}->{converter.ProviderClrType.Name}"
            : "";

    private static string FirstDifference(string expected, string actual)
    {
        var (e, a) = (expected.Split('\n'), actual.Split('\n'));
        var line = Enumerable.Range(0, Math.Min(e.Length, a.Length)).FirstOrDefault(i => e[i] != a[i], Math.Min(e.Length, a.Length));
        return $"line {line + 1}: configuration builds '{e.ElementAtOrDefault(line)?.Trim()}', compiled model has '{a.ElementAtOrDefault(line)?.Trim()}'";
    }
}

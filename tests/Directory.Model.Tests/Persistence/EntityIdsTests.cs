namespace ScimBridge.Model.Tests.Persistence;

public sealed class EntityIdsTests
{
    [Fact]
    public async Task Ids_are_version_4_GUIDs_and_do_not_repeat_across_threads_and_refills()
    {
        // Four threads, each past several refills of its pool.
        var batches = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => Enumerable.Range(0, 2_000).Select(_ => EntityIds.New()).ToList())));
        var ids = batches.SelectMany(b => b).ToList();

        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(ids, id =>
        {
            var text = id.ToString("D");
            Assert.Equal('4', text[14]);
            Assert.Contains(text[19], "89ab");
        });
    }
}

using System.Net;
using System.Net.Http.Headers;
using ScimBridge.Scim.Tests.Infrastructure;

namespace ScimBridge.Scim.Tests;

/// <summary>The token commands an admin runs on the service's executable, checked by what the SCIM API then accepts.</summary>
public sealed class TokenCommandTests(ScimBridgeFactory factory) : IClassFixture<ScimBridgeFactory>
{
    private async Task<HttpStatusCode> ListUsersWithAsync(string secret)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        return (await client.GetAsync("/scim/v2/Users")).StatusCode;
    }

    [Fact]
    public async Task Created_token_is_printed_on_the_last_line_and_works()
    {
        var (exit, output, _) = await AdminCli.RunAsync(factory, "tokens", "create", "--org", "cli-create", "--name", "okta");

        Assert.Equal(0, exit);
        var secret = output.TrimEnd().Split('\n')[^1].Trim();
        Assert.Equal(HttpStatusCode.OK, await ListUsersWithAsync(secret));
    }

    [Fact]
    public async Task Revoked_token_is_refused_and_listed_as_revoked_while_others_keep_working()
    {
        var first = (await AdminCli.RunAsync(factory, "tokens", "create", "--org", "cli-revoke", "--name", "old")).Output.TrimEnd().Split('\n')[^1].Trim();
        var second = (await AdminCli.RunAsync(factory, "tokens", "create", "--org", "cli-revoke", "--name", "new")).Output.TrimEnd().Split('\n')[^1].Trim();

        var (exit, _, error) = await AdminCli.RunAsync(factory, "tokens", "revoke", "--org", "cli-revoke", "--prefix", first[..12]);
        var list = await AdminCli.RunAsync(factory, "tokens", "list", "--org", "cli-revoke");

        Assert.Equal(0, exit);
        Assert.Equal("", error);
        Assert.Equal(HttpStatusCode.Unauthorized, await ListUsersWithAsync(first));
        Assert.Equal(HttpStatusCode.OK, await ListUsersWithAsync(second));
        var oldLine = list.Output.Split('\n').Single(l => l.StartsWith(first[..12], StringComparison.Ordinal));
        var newLine = list.Output.Split('\n').Single(l => l.StartsWith(second[..12], StringComparison.Ordinal));
        Assert.False(oldLine.TrimEnd().EndsWith('-'), $"revoked token should show its revocation time: {oldLine}");
        Assert.EndsWith("-", newLine.TrimEnd(), StringComparison.Ordinal);
        Assert.DoesNotContain(first, list.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_in_use_is_refused_by_the_next_request_after_its_revocation()
    {
        var secret = (await AdminCli.RunAsync(factory, "tokens", "create", "--org", "cli-revoke-live", "--name", "okta")).Output.TrimEnd().Split('\n')[^1].Trim();
        Assert.Equal(HttpStatusCode.OK, await ListUsersWithAsync(secret));

        var (exit, _, _) = await AdminCli.RunAsync(factory, "tokens", "revoke", "--org", "cli-revoke-live", "--prefix", secret[..12]);

        Assert.Equal(0, exit);
        Assert.Equal(HttpStatusCode.Unauthorized, await ListUsersWithAsync(secret));
    }

    [Fact]
    public async Task Unknown_organization_or_prefix_is_a_usage_error()
    {
        await AdminCli.RunAsync(factory, "tokens", "create", "--org", "cli-known");

        var unknownOrg = await AdminCli.RunAsync(factory, "tokens", "revoke", "--org", "cli-nobody", "--prefix", "scb_x");
        var unknownPrefix = await AdminCli.RunAsync(factory, "tokens", "revoke", "--org", "cli-known", "--prefix", "scb_nothere");

        Assert.Equal(2, unknownOrg.ExitCode);
        Assert.Contains("Unknown organization 'cli-nobody'", unknownOrg.Error, StringComparison.Ordinal);
        Assert.Equal(2, unknownPrefix.ExitCode);
        Assert.Contains("no token with prefix 'scb_nothere'", unknownPrefix.Error, StringComparison.Ordinal);
    }
}

using Microsoft.Extensions.Time.Testing;
using ScimBridge.Scim.Cli;

namespace ScimBridge.Scim.Tests.Operations;

/// <summary>Progress of long commands when standard error is a pipe: plain lines while a step runs, none for quick steps.</summary>
public sealed class ConsoleProgressTests
{
    [Fact]
    public void A_long_step_prints_a_line_each_interval_and_one_when_it_ends()
    {
        var clock = new FakeTimeProvider();
        var error = new StringWriter();
        var progress = new ConsoleProgress(error, interactive: false, clock, TimeSpan.FromSeconds(5));

        using (var step = progress.Start("Applying mapping acme.yaml", total: 16_800, unit: "users"))
        {
            step.Advance(4_000);
            clock.Advance(TimeSpan.FromSeconds(5));
            step.Report(8_400);
            clock.Advance(TimeSpan.FromSeconds(5));
            step.Report(16_800);
        }

        var lines = error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(
            [
                "Applying mapping acme.yaml: 4,000 of 16,800 users (23 %), 5 s",
                "Applying mapping acme.yaml: 8,400 of 16,800 users (50 %), 10 s",
                "Applying mapping acme.yaml: 16,800 users, done in 10 s",
            ],
            lines);
    }

    [Fact]
    public void A_step_that_counts_nothing_still_shows_it_is_alive()
    {
        var clock = new FakeTimeProvider();
        var error = new StringWriter();
        var progress = new ConsoleProgress(error, interactive: false, clock, TimeSpan.FromSeconds(5));

        using (progress.Start("Writing backup"))
        {
            clock.Advance(TimeSpan.FromSeconds(5));
            clock.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(["Writing backup: 5 s", "Writing backup: done in 6 s"],
            error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    [Fact]
    public void A_quick_step_prints_nothing()
    {
        var clock = new FakeTimeProvider();
        var error = new StringWriter();
        var progress = new ConsoleProgress(error, interactive: false, clock, TimeSpan.FromSeconds(5));

        using (var step = progress.Start("Reading corp-ldap", unit: "entries"))
        {
            step.Advance(120);
            clock.Advance(TimeSpan.FromSeconds(4));
        }

        Assert.Equal("", error.ToString());
    }
}

using ScimBridge.Model.Teams;

namespace ScimBridge.Model.Tests.Teams;

public sealed class TeamSettingsRulesTests
{
    [Fact]
    public void Numbers_written_with_spaces_hyphens_and_parentheses_are_stored_in_international_form_once()
    {
        var (settings, problems) = TeamSettingsRules.Check(new TeamSettings { BaseNumbers = ["+49 (30) 123-4567", "+49301234567", " "] });

        Assert.Empty(problems);
        Assert.Equal(["+49301234567"], settings.BaseNumbers);
    }

    [Fact]
    public void Every_problem_is_reported_at_once_with_its_field_and_what_the_person_typed()
    {
        var (_, problems) = TeamSettingsRules.Check(new TeamSettings
        {
            BaseNumbers = ["030 1234567"],
            ApiScopes = ["create call token"],
            MaxApiKeys = -1,
            MaxRequestsPerDay = 0,
            NotificationsJson = "[1, 2]",
        });

        Assert.Equal(["BaseNumbers", "ApiScopes", "MaxApiKeys", "MaxRequestsPerDay", "NotificationsJson"], problems.Select(p => p.Field));
        Assert.Contains("'030 1234567'", problems[0].Message, StringComparison.Ordinal);
        Assert.Contains("must be a JSON object", problems[4].Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"recipients\": [\"ops@example.org\"", "not valid JSON at line 1")]
    [InlineData("{\"recipients\": \"ops@example.org\"}", "\"recipients\" must be a list")]
    [InlineData("{\"thresholds\": {\"missedCalls\": \"ten\"}}", "threshold \"missedCalls\" must be a number")]
    public void Notifications_that_are_not_an_object_of_recipients_and_thresholds_are_refused_saying_why(string json, string expected)
    {
        Assert.Contains(expected, TeamSettingsRules.NotificationsProblem(json), StringComparison.Ordinal);
    }

    [Fact]
    public void Notifications_with_recipients_thresholds_and_other_members_are_accepted()
    {
        Assert.Null(TeamSettingsRules.NotificationsProblem("""{"recipients": ["ops@example.org"], "thresholds": {"missedCalls": 10}, "channel": "email"}"""));
    }

    [Fact]
    public void Scopes_are_compared_in_upper_case_and_kept_once()
    {
        var (settings, problems) = TeamSettingsRules.Check(new TeamSettings { ApiScopes = ["read_call_token", "READ_CALL_TOKEN"] });

        Assert.Empty(problems);
        Assert.Equal(["READ_CALL_TOKEN"], settings.ApiScopes);
    }
}

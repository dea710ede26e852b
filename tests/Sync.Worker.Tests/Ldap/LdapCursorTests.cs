using ScimBridge.Sync.Sources.Ldap;

namespace ScimBridge.Sync.Tests.Ldap;

public sealed class LdapCursorTests
{
    [Fact]
    public void A_timestamp_cursor_looks_back_by_the_overlap()
    {
        var cursor = new LdapCursor("modifyTimestamp", "scope", "20261201161900Z");

        Assert.Equal("(modifyTimestamp>=20261201161400Z)", cursor.FilterClause(TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public void A_USN_cursor_selects_from_its_value() =>
        Assert.Equal("(uSNChanged>=12346)", new LdapCursor("uSNChanged", "scope", "12346").FilterClause(TimeSpan.FromMinutes(5)));

    [Theory]
    [InlineData("modifyTimestamp", "20261201161900Z", "20261201161900Z")]
    [InlineData("whenChanged", "20261201161900.0Z", "20261201161900Z")]
    [InlineData("uSNChanged", "0012346", "12346")]
    [InlineData("modifyTimestamp", "2026-12-01", null)]
    [InlineData("uSNChanged", "-5", null)]
    public void Marker_values_are_normalised_or_refused(string attribute, string raw, string? expected) =>
        Assert.Equal(expected, LdapCursor.Normalize(attribute, raw));

    [Fact]
    public void Later_compares_USNs_as_numbers_and_timestamps_as_times()
    {
        Assert.Equal("10000", LdapCursor.Later("uSNChanged", "9999", "10000"));
        Assert.Equal("20270101000000Z", LdapCursor.Later("modifyTimestamp", "20270101000000Z", "20261231235959Z"));
        Assert.Equal("5", LdapCursor.Later("uSNChanged", null, "5"));
    }

    [Fact]
    public void A_cursor_round_trips_and_is_refused_for_another_attribute_or_scope()
    {
        var state = new LdapCursor("modifyTimestamp", "abc", "20261201161900Z").Serialize();

        Assert.Equal("20261201161900Z", LdapCursor.TryParse(state, "modifyTimestamp", "abc", out _)?.Value);
        Assert.Null(LdapCursor.TryParse(state, "uSNChanged", "abc", out var attributeReason));
        Assert.Contains("uSNChanged", attributeReason);
        Assert.Null(LdapCursor.TryParse(state, "modifyTimestamp", "other", out var scopeReason));
        Assert.Contains("filters changed", scopeReason);
        Assert.Null(LdapCursor.TryParse("https://graph.microsoft.com/v1.0/users/delta?$deltatoken=x", "modifyTimestamp", "abc", out _));
    }

    [Fact]
    public void A_DirSync_cookie_travels_with_the_cursor_and_a_state_without_one_still_reads()
    {
        byte[] cookie = [0, 1, 2, 250, 255];
        var state = new LdapCursor("uSNChanged", "abc", "12346", cookie).Serialize();

        var parsed = LdapCursor.TryParse(state, "uSNChanged", "abc", out _);
        var older = LdapCursor.TryParse(new LdapCursor("uSNChanged", "abc", "12346").Serialize(), "uSNChanged", "abc", out _);

        Assert.Equal("12346", parsed?.Value);
        Assert.Equal(cookie, parsed?.DirSyncCookie);
        Assert.Equal("12346", older?.Value);
        Assert.Null(older?.DirSyncCookie);
        Assert.Null(LdapCursor.TryParse(state + "!", "uSNChanged", "abc", out _));
    }
}

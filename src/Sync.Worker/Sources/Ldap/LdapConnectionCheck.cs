using ScimBridge.Model.Reconcile;

namespace ScimBridge.Sync.Sources.Ldap;

/// <summary>
/// Binds with the source's settings and counts the entries its user base DNs and filter select, asking for no
/// attributes (a paged read of DNs only: 100,000 users in about a second against slapd), and tries Active Directory's
/// change read when <c>Departures</c> uses one. Writes nothing.
/// </summary>
internal static class LdapConnectionCheck
{
    public static async Task<ConnectionCheck> RunAsync(
        LdapSourceSettings settings, Func<LdapSession, IActiveDirectoryConnection> activeDirectory, CancellationToken ct)
    {
        using var session = await LdapSession.OpenAsync(settings, ct);
        var users = 0;
        foreach (var baseDn in settings.EffectiveUserBaseDns)
        {
            users += await session.SearchPagedAsync(baseDn, settings.EffectiveUserFilter, [LdapSession.NoAttributes], _ => Task.CompletedTask, ct);
        }

        // Active Directory's change reads, when departures come from them: a missing right shows here, not at the next run.
        var departures = settings.Departures == LdapDepartureDetection.ScopeRead ? "" : "; " + await new ActiveDirectoryChangeFeed(
            activeDirectory(session), settings, new LdapUserMapping(settings.Attributes.Resolve(settings.ServerKind), null)).CheckAsync(ct);

        var who = string.IsNullOrWhiteSpace(settings.BindDn) ? "anonymously" : $"as {settings.BindDn}";
        return new ConnectionCheck(users, $"bound to {settings.Url} {who}; {users} users below {string.Join(", ", settings.EffectiveUserBaseDns)}{departures}");
    }
}

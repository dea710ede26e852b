using ScimBridge.Model.Reconcile;

namespace ScimBridge.Sync.Sources.Ldap;

/// <summary>A user that changed since the last run somewhere in the domain: its key, where it is now, and whether it was deleted.</summary>
internal readonly record struct ChangedUser(string Key, string DistinguishedName, bool Deleted);

/// <summary>
/// The users Active Directory changed since the last run anywhere in the domain, deleted ones included, read by what
/// changed instead of by everything in scope: with <see cref="LdapDepartureDetection.DeletedObjects"/> a search of the
/// domain by the run's <c>uSNChanged</c> clause with the show-deleted control, with <see cref="LdapDepartureDetection.DirSync"/>
/// DirSync rounds from the stored cookie. A changed user that the run's read of changed users in scope did not return
/// has left: deleted (a tombstone), moved out of the user bases, or no longer matching the user filter.
/// </summary>
internal sealed class ActiveDirectoryChangeFeed(IActiveDirectoryConnection connection, LdapSourceSettings settings, LdapUserMapping mapping)
{
    /// <summary>People, not computers (AD users too). Tombstones keep objectClass but lose objectCategory, so no objectCategory here.</summary>
    public const string PeopleFilter = "(&(objectClass=user)(!(objectClass=computer)))";

    private const string IsDeleted = "isDeleted";

    private string[] Attributes => [.. mapping.IdOnly, IsDeleted];

    /// <summary>Users changed at or after <paramref name="changedClause"/> (the cursor's filter clause), live or deleted.</summary>
    public async Task<List<ChangedUser>> ChangedSinceAsync(string changedClause, CancellationToken ct)
    {
        var domain = await DomainAsync(ct);
        var changed = new List<ChangedUser>();
        await connection.SearchIncludingDeletedAsync(domain, $"(&{PeopleFilter}{changedClause})", Attributes, entry =>
        {
            changed.Add(ToChange(entry));
            return Task.CompletedTask;
        }, ct);
        return changed;
    }

    /// <summary>
    /// DirSync rounds until the server has no more data. Without a cookie the server sends every user of the domain: the
    /// first run only takes the cookie from it (<paramref name="keep"/> false) and keeps no entries.
    /// </summary>
    public async Task<(List<ChangedUser> Changed, byte[] Cookie)> DirSyncAsync(byte[]? cookie, bool keep, CancellationToken ct)
    {
        var domain = await DomainAsync(ct);
        var changed = new List<ChangedUser>();
        for (var round = 1; ; round++)
        {
            var answer = await connection.DirSyncAsync(domain, PeopleFilter, Attributes, cookie, ct);
            if (answer.Cookie is not { Length: > 0 })
            {
                throw new DirectoryReadException($"DirSync of '{domain}' round {round}: the server answered without a cookie.");
            }
            if (keep)
            {
                changed.AddRange(answer.Entries.Select(ToChange));
            }
            cookie = answer.Cookie;
            if (!answer.MoreData)
            {
                return (changed, cookie);
            }
        }
    }

    /// <summary>
    /// For "Test connection": the configured change read answers, without reading changes. DeletedObjects searches for
    /// no object (a GUID no object has) with the show-deleted control; DirSync asks for one round, which fails without
    /// the right to replicate directory changes.
    /// </summary>
    public async Task<string> CheckAsync(CancellationToken ct)
    {
        var domain = await DomainAsync(ct);
        if (settings.Departures == LdapDepartureDetection.DirSync)
        {
            await connection.DirSyncAsync(domain, PeopleFilter, Attributes, null, ct);
            return $"DirSync of {domain} answers";
        }
        await connection.SearchIncludingDeletedAsync(domain, $"(&{PeopleFilter}(objectGUID=\\00))", Attributes, _ => Task.CompletedTask, ct);
        return $"deleted objects of {domain} can be searched";
    }

    private async Task<string> DomainAsync(CancellationToken ct)
    {
        if (!string.IsNullOrWhiteSpace(settings.DomainDn))
        {
            return settings.DomainDn.Trim();
        }
        return await connection.DefaultNamingContextAsync(ct)
            ?? throw new DirectoryReadException("the server's root DSE names no defaultNamingContext; set DomainDn.");
    }

    private ChangedUser ToChange(LdapObject entry)
    {
        var deleted = entry[IsDeleted] is { Count: > 0 } flag
            && string.Equals(((string)flag.GetValues(typeof(string))[0]).Trim(), "TRUE", StringComparison.OrdinalIgnoreCase);
        return new ChangedUser(mapping.KeyOf(entry), DistinguishedName.Normalize(entry.DistinguishedName), deleted);
    }
}

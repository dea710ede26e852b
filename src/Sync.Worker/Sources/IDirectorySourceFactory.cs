using Microsoft.Extensions.Configuration;
using ScimBridge.Model.Reconcile;

namespace ScimBridge.Sync.Sources;

/// <summary>
/// Makes <see cref="IDirectorySource"/>s of one <see cref="Type"/> from a configured entry. Register implementations as
/// singletons of this interface; the sync worker picks the one whose <see cref="Type"/> matches the entry's.
/// </summary>
public interface IDirectorySourceFactory
{
    /// <summary>The <c>Type</c> value this factory handles, compared case-insensitively (e.g. <c>EntraId</c>, <c>Ldap</c>).</summary>
    string Type { get; }

    /// <summary>
    /// Problems with the entry's type-specific keys, each a sentence naming the source and key; empty when usable.
    /// Called at start for every configured source. <paramref name="section"/> already has <c>*File</c> secrets resolved.
    /// </summary>
    IReadOnlyList<string> Validate(SyncSourceOptions options, IConfigurationSection section) => [];

    /// <summary>A source for one run; disposed after the run when it is <see cref="IDisposable"/>.</summary>
    IDirectorySource Create(SyncSourceOptions options, IConfigurationSection section);
}

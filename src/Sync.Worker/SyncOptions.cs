using Microsoft.Extensions.Options;
using ScimBridge.Sync.Sources;

namespace ScimBridge.Sync;

/// <summary><c>ScimBridge:Sync</c>: whether scheduled sync runs in this process. Sources are read by <see cref="SyncSourceCatalog"/>.</summary>
public sealed class SyncOptions
{
    public const string Section = "ScimBridge:Sync";

    /// <summary>False stops the scheduler in this process; <c>sync run</c> still works.</summary>
    public bool Enabled { get; set; } = true;
}

/// <summary>Start-up check of every configured source (common keys, type, cron, type-specific keys).</summary>
internal sealed class SyncOptionsValidator(SyncSourceCatalog catalog) : IValidateOptions<SyncOptions>
{
    public ValidateOptionsResult Validate(string? name, SyncOptions options)
    {
        var problems = catalog.Validate();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}

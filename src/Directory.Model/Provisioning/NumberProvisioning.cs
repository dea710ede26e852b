using Microsoft.EntityFrameworkCore;
using ScimBridge.Model.Audit;
using ScimBridge.Model.Organizations;
using ScimBridge.Model.Persistence;
using ScimBridge.Model.Teams;

namespace ScimBridge.Model.Provisioning;

/// <summary>
/// The write path for the organization's phone numbers, from which teams take their base numbers: add (several at
/// once, all checked first) and remove (refused while an active team or a user's outbound caller ID uses the number),
/// each audited. A removal is undone by adding the number again; the audit entry keeps its label.
/// </summary>
public sealed class NumberProvisioning(ScimBridgeDbContext db, AuditLog audit, TimeProvider clock)
{
    public const string TargetType = "organization";
    public const int MaxLabelLength = 100;

    /// <summary>At most this many numbers per organization: the team form lists them all.</summary>
    public const int MaxNumbers = 1_000;

    /// <summary>The organization's numbers in order.</summary>
    public Task<List<OrganizationNumber>> ListAsync(Guid organizationId, CancellationToken ct) =>
        db.OrganizationNumbers.AsNoTracking().Where(n => n.OrganizationId == organizationId).OrderBy(n => n.Number).ToListAsync(ct);

    /// <summary>
    /// Adds the numbers (as typed: spaces and hyphens are fine) that the organization does not have yet, with one label;
    /// every typed number is checked before anything is added. Returns the numbers added, normalized. The caller saves.
    /// </summary>
    public async Task<IReadOnlyList<string>> AddAsync(IEnumerable<string> typed, string? label, ProvisioningContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(typed);
        ArgumentNullException.ThrowIfNull(context);
        var entries = typed.Select(t => t.Trim()).Where(t => t.Length > 0).ToList();
        var problems = entries.Select(PhoneNumbers.Problem).OfType<string>().Select(p => new ValueProblem("Numbers", p)).ToList();
        label = string.IsNullOrWhiteSpace(label) ? null : label.Trim();
        if (label is not null && (label.Length > MaxLabelLength || label.Any(char.IsControl)))
        {
            problems.Add(new("Label", $"A label has at most {MaxLabelLength} printable characters."));
        }

        if (entries.Count == 0)
        {
            problems.Add(new("Numbers", "Enter at least one number, in international form: +4930123456."));
        }

        if (problems.Count > 0)
        {
            throw new InvalidValueException(problems);
        }

        var owned = (await ListAsync(context.OrganizationId, ct)).Select(n => n.Number).ToHashSet(StringComparer.Ordinal);
        var added = entries.Select(PhoneNumbers.Normalize).Distinct(StringComparer.Ordinal).Where(n => !owned.Contains(n)).ToList();
        if (owned.Count + added.Count > MaxNumbers)
        {
            throw new InvalidValueException([new ValueProblem("Numbers", $"An organization has at most {MaxNumbers:N0} numbers; it has {owned.Count:N0}.")]);
        }

        if (added.Count == 0)
        {
            return [];
        }

        var now = clock.GetUtcNow();
        db.OrganizationNumbers.AddRange(added.Select(n => new OrganizationNumber { OrganizationId = context.OrganizationId, Number = n, Label = label, AddedAt = now }));
        audit.Record(context.OrganizationId, context.Actor, "organization.numbers.added", TargetType, context.OrganizationId.ToString(),
            after: new NumbersSnapshot(added, label), cause: context.Cause);
        return added;
    }

    /// <summary>
    /// Removes one number; false when the organization does not have it. Refused while an active team has it as a base
    /// number or a user has it as outbound caller ID, naming them. The caller saves.
    /// </summary>
    public async Task<bool> RemoveAsync(string number, ProvisioningContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var normalized = PhoneNumbers.Normalize(number ?? "");
        var row = await db.OrganizationNumbers.FirstOrDefaultAsync(n => n.OrganizationId == context.OrganizationId && n.Number == normalized, ct);
        if (row is null)
        {
            return false;
        }

        var teams = await db.Teams.AsNoTracking().Where(t => t.OrganizationId == context.OrganizationId && t.DeletedAt == null)
            .Where(t => t.BaseNumbers.Contains(normalized)).OrderBy(t => t.Name).Select(t => t.Name).Take(6).ToListAsync(ct);
        if (teams.Count > 0)
        {
            throw new InvalidValueException([new ValueProblem("Numbers",
                $"{normalized} is a base number of {Names("team", teams)}: take it off there first.")]);
        }

        var callers = await db.Users.AsNoTracking().LiveIn(context.OrganizationId).Where(u => u.OutboundCallerId == normalized)
            .OrderBy(u => u.NormalizedUserName).Select(u => u.UserName).Take(6).ToListAsync(ct);
        if (callers.Count > 0)
        {
            throw new InvalidValueException([new ValueProblem("Numbers",
                $"{normalized} is the outbound caller ID of {Names("user", callers)}: give them another first.")]);
        }

        db.OrganizationNumbers.Remove(row);
        audit.Record(context.OrganizationId, context.Actor, "organization.numbers.removed", TargetType, context.OrganizationId.ToString(),
            before: new NumbersSnapshot([row.Number], row.Label), cause: context.Cause);
        return true;
    }

    /// <summary>
    /// Refuses base numbers the organization does not have. Numbers the team had already stay allowed, so a team whose
    /// number was removed some other way can still be saved.
    /// </summary>
    internal async Task EnsureOwnedAsync(Guid organizationId, IReadOnlyList<string> numbers, IReadOnlyCollection<string> alreadyUsed, CancellationToken ct)
    {
        var wanted = numbers.Where(n => !alreadyUsed.Contains(n)).ToList();
        if (wanted.Count == 0)
        {
            return;
        }

        var owned = await db.OrganizationNumbers.AsNoTracking()
            .Where(n => n.OrganizationId == organizationId && wanted.Contains(n.Number)).Select(n => n.Number).ToListAsync(ct);
        var missing = wanted.Except(owned, StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidValueException([.. missing.Select(n => new ValueProblem("BaseNumbers",
                $"{n} is not one of the organization's numbers: add it on the Numbers page first."))]);
        }
    }

    private static string Names(string what, List<string> names) =>
        names.Count > 5
            ? $"{what}s {string.Join(", ", names.Take(5))} and others"
            : names.Count == 1 ? $"{what} {names[0]}" : $"{what}s {string.Join(", ", names)}";

    private sealed record NumbersSnapshot(IReadOnlyList<string> Numbers, string? Label);
}

using Microsoft.AspNetCore.Mvc.ModelBinding;
using ScimBridge.Model.Organizations;

namespace ScimBridge.Scim.Admin.Teams;

/// <summary>
/// What <c>_TeamFields</c> shows: the form's values, the organization's numbers to pick base numbers from, the errors
/// next to each field, and whether it may be edited.
/// </summary>
public sealed record TeamFormView(TeamForm Form, IReadOnlyList<OrganizationNumber> Numbers, ModelStateDictionary State, bool ReadOnly)
{
    /// <summary>
    /// The numbers offered: the organization's, and any the form holds that it does not have (a number removed some other
    /// way, or one posted that is not the organization's), so nothing ticked disappears unseen.
    /// </summary>
    public IReadOnlyList<(string Number, string? Label)> Choices =>
    [
        .. Numbers.Select(n => (n.Number, n.Label)),
        .. Form.BaseNumbers.Where(n => Numbers.All(o => o.Number != n)).Select(n => (n, (string?)"not one of the organization's numbers")),
    ];

    public const string Prefix = "Form.";

    /// <summary>The errors about <paramref name="field"/> (a <see cref="TeamForm"/> or <c>ValueProblem</c> field name).</summary>
    public IEnumerable<string> ErrorsFor(string field) =>
        State.TryGetValue(Prefix + field, out var entry) ? entry.Errors.Select(e => e.ErrorMessage) : [];

    public string? DescribedBy(string field) => ErrorsFor(field).Any() ? "error-" + field : null;
}

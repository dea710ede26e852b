using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace ScimBridge.Scim.Admin.Teams;

/// <summary>What <c>_TeamFields</c> shows: the form's values, the errors next to each field, and whether it may be edited.</summary>
public sealed record TeamFormView(TeamForm Form, ModelStateDictionary State, bool ReadOnly)
{
    public const string Prefix = "Form.";

    /// <summary>The errors about <paramref name="field"/> (a <see cref="TeamForm"/> or <c>ValueProblem</c> field name).</summary>
    public IEnumerable<string> ErrorsFor(string field) =>
        State.TryGetValue(Prefix + field, out var entry) ? entry.Errors.Select(e => e.ErrorMessage) : [];

    public string? DescribedBy(string field) => ErrorsFor(field).Any() ? "error-" + field : null;
}

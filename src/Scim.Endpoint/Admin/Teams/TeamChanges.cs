using Microsoft.AspNetCore.Mvc.ModelBinding;
using ScimBridge.Model.Provisioning;
using ScimBridge.Model.Teams;

namespace ScimBridge.Scim.Admin.Teams;

/// <summary>Puts a domain refusal next to the field it concerns (or at the top of the page when it concerns none).</summary>
public static class TeamChanges
{
    public const string PageLevel = "action";

    public static void AddTo(ModelStateDictionary state, IEnumerable<ValueProblem> problems)
    {
        foreach (var problem in problems)
        {
            state.AddModelError(TeamFormView.Prefix + problem.Field, problem.Message);
        }
    }

    public static void AddTo(ModelStateDictionary state, DirectoryException refusal)
    {
        switch (refusal)
        {
            case InvalidValueException { Problems.Count: > 0 } invalid:
                AddTo(state, invalid.Problems);
                break;
            case UniquenessConflictException:
                state.AddModelError(TeamFormView.Prefix + "Name", refusal.Message);
                break;
            default:
                state.AddModelError(TeamFormView.Prefix + PageLevel, refusal.Message);
                break;
        }
    }
}

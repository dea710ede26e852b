using Microsoft.AspNetCore.Http.HttpResults;
using ScimBridge.Model.Mapping;
using ScimBridge.Scim.Admin.Mapping;
using ScimBridge.Scim.Admin.SignIn;

namespace ScimBridge.Scim.Admin.Api;

/// <summary>The organization's mapping file as JSON: what <c>/admin/mapping</c> shows, and its Release.</summary>
public static class MappingApi
{
    public sealed record MappingVersion(string FileName, string Version, int Rules, int OrganizationRoleRules);

    public sealed record HeldVersion(string Version, DateTimeOffset Since, string Reason, MappingImpact Impact);

    public sealed record PreviewUser(Guid UserId, string UserName, bool LosesAccess, IReadOnlyList<string> Changes);

    public sealed record Preview(string Version, string Summary, bool WithinGuard, MappingImpact Impact, int UsersChanging, IReadOnlyList<PreviewUser> Users);

    public sealed record MappingStatus(
        MappingVersion? InForce, DateTimeOffset? AppliedAt, MappingVersion? OnDisk, HeldVersion? Held, IReadOnlyList<string> Errors, Preview? Preview);

    public sealed record ReleaseRequest(string Version);

    public sealed record ReleaseResult(string Version, string Summary, bool PastTheGuard);

    public static RouteGroupBuilder MapMappingApi(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet("/mapping", GetAsync).WithName("GetMapping").WithSummary("The mapping file in force, held or rejected, and what the file on disk would change");
        api.MapPost("/mapping/release", ReleaseAsync).WithName("ReleaseMapping").WithSummary("Applies the file on disk past the guard, as mappings apply --force does");
        return api;
    }

    private static async Task<Ok<MappingStatus>> GetAsync(bool? preview, MappingOverview overview, AdminSession session, CancellationToken ct)
    {
        var state = await overview.ReadAsync(session.OrganizationId, session.OrganizationSlug, preview == true, ct);
        return TypedResults.Ok(new MappingStatus(
            Version(state.InForce),
            state.Applied?.Version == state.InForce?.Version ? state.Applied?.AppliedAt : null,
            Version(state.OnDisk),
            state.Held is { } held ? new HeldVersion(held.Version, held.Since, held.Reason, held.Impact) : null,
            [.. state.Rejected.SelectMany(f => f.Errors).Select(e => e.ToString())],
            state.Preview is { } plan
                ? new Preview(plan.File.Version, plan.Summary, plan.Verdict.Allowed, plan.Impact, plan.UsersChanging,
                    [.. plan.Users.Select(u => new PreviewUser(u.UserId, u.UserName, u.LosesAccess, u.Lines))])
                : null));
    }

    private static async Task<Results<Ok<ReleaseResult>, ProblemHttpResult>> ReleaseAsync(
        ReleaseRequest request, MappingOverview overview, MappingApplication application, AdminSession session, CancellationToken ct)
    {
        var state = await overview.ReadAsync(session.OrganizationId, session.OrganizationSlug, preview: false, ct);
        if (state.OnDisk is not { } file || file.Version != request.Version)
        {
            return TypedResults.Problem("The file on disk is not that version; read GET /admin/api/mapping again.", statusCode: StatusCodes.Status409Conflict);
        }

        var result = await application.ApplyAsync(session.OrganizationId, session.OrganizationSlug, force: true, session.Actor,
            "released in the admin console past the guard", ct);
        return result.Status switch
        {
            MappingApplyStatus.Applied => TypedResults.Ok(new ReleaseResult(file.Version, result.Plan!.Summary(), result.Released)),
            MappingApplyStatus.AlreadyApplied => TypedResults.Ok(new ReleaseResult(file.Version, "already in force; nothing changed", false)),
            _ => TypedResults.Problem(string.Join(" ", result.Errors.Select(e => e.ToString()).DefaultIfEmpty("There is no valid mapping file to release.")),
                statusCode: StatusCodes.Status409Conflict),
        };
    }

    private static MappingVersion? Version(MappingFile? file) =>
        file is null ? null : new MappingVersion(file.FileName, file.Version, file.Rules.Count, file.OrganizationRoles.Count);
}

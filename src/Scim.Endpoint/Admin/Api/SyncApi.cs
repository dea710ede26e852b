using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using ScimBridge.Model.Reconcile;
using ScimBridge.Scim.Admin.SignIn;
using ScimBridge.Scim.Admin.Sync;
using ScimBridge.Sync.Sources;

namespace ScimBridge.Scim.Admin.Api;

/// <summary>The organization's directory sync as JSON: what <c>/admin/sync</c> shows and does.</summary>
public static class SyncApi
{
    public sealed record Source(string Name, string Type, string? Schedule, bool Enabled, DateTimeOffset? NextRun, bool ScheduledHere, Run? LastRun);

    public sealed record Run(
        long Id, string Source, string Trigger, string Status, bool Forced, bool Full, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt,
        int UsersRead, int Created, int Updated, int Deactivated, int Reactivated, int GroupsChanged, int MembershipsChanged, int ErrorCount,
        string? Reason);

    public sealed record RunPage(IReadOnlyList<Run> Runs, long? OlderThan);

    public sealed record Change(long Id, DateTimeOffset At, string Action, string TargetType, string TargetId, string? Cause);

    public sealed record RunDetail(Run Run, IReadOnlyList<string> Errors, IReadOnlyList<Change> Changes, bool MoreChanges);

    /// <summary>A run started from the console: <see cref="Run"/> and <see cref="Report"/> once it ended.</summary>
    public sealed record Started(Guid Id, string Source, string Kind, string StartedBy, DateTimeOffset StartedAt, bool Finished, Run? Run, string? Report, string? Failure);

    public sealed record StartRequest(bool Full = false);

    public sealed record ConnectionTest(string Source, bool Succeeded, int? UsersInScope, string Detail);

    public static RouteGroupBuilder MapSyncApi(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet("/sync/sources", SourcesAsync).WithName("GetSyncSources").WithSummary("The organization's sync sources with next and last run");
        api.MapGet("/sync/runs", RunsAsync).WithName("GetSyncRuns").WithSummary("Runs, newest first; page on with before=OlderThan");
        api.MapGet("/sync/runs/{id:long}", RunAsync).WithName("GetSyncRun").WithSummary("One run with its errors and the changes it made");
        api.MapPost("/sync/sources/{name}/test", TestAsync).WithName("TestSyncSource").WithSummary("Binds or signs in and counts the users in scope; writes nothing");
        api.MapPost("/sync/sources/{name}/run", (string name, StartRequest? request, [AsParameters] StartContext context, CancellationToken ct) => StartAsync(name, request, StartedKind.Run, context, ct))
            .WithName("RunSyncSource").WithSummary("Starts a run in the background; poll the started run");
        api.MapPost("/sync/sources/{name}/dry-run", (string name, StartRequest? request, [AsParameters] StartContext context, CancellationToken ct) => StartAsync(name, request, StartedKind.DryRun, context, ct))
            .WithName("DryRunSyncSource").WithSummary("Starts a dry run in the background; its report is the full diff");
        api.MapPost("/sync/runs/{id:long}/force", ForceAsync).WithName("ForceSyncRun").WithSummary("Owners: runs an aborted run's source again past the guard");
        api.MapGet("/sync/started/{id:guid}", GetStarted).WithName("GetStartedSyncRun").WithSummary("A run started from the console: running, or its outcome and report");
        return api;
    }

    /// <summary>What starting a run needs, bound from services in one parameter.</summary>
    public sealed record StartContext(SyncOverview Overview, ConsoleSyncRuns Runs, SyncAudit Audit, AdminSession Session);

    private static async Task<Ok<List<Source>>> SourcesAsync(SyncOverview overview, AdminSession session, CancellationToken ct)
    {
        var rows = await overview.SourceRowsAsync(session.OrganizationSlug, ct);
        return TypedResults.Ok(rows.Select(r => new Source(r.Name, r.Source.Options.Type, r.Source.Options.Schedule, r.Source.Options.Enabled,
            r.NextFire, r.Scheduled, r.LastRun is { } last ? ToRun(last) : null)).ToList());
    }

    private static async Task<Ok<RunPage>> RunsAsync(string? source, long? before, SyncOverview overview, AdminSession session, CancellationToken ct)
    {
        var (runs, older) = await overview.RunsAsync(session.OrganizationSlug, source, before, ct);
        return TypedResults.Ok(new RunPage([.. runs.Select(ToRun)], older));
    }

    private static async Task<Results<Ok<RunDetail>, NotFound>> RunAsync(long id, SyncOverview overview, AdminSession session, CancellationToken ct)
    {
        if (await overview.RunAsync(session.OrganizationSlug, id, ct) is not { } run)
        {
            return TypedResults.NotFound();
        }

        var (changes, more) = await overview.ChangesAsync(session.OrganizationId, run, RunModel.ChangesShown, ct);
        return TypedResults.Ok(new RunDetail(ToRun(run), (run.Errors ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries),
            [.. changes.Select(c => new Change(c.Id, c.At, c.Action, c.TargetType, c.TargetId, c.Cause))], more));
    }

    private static async Task<Results<Ok<ConnectionTest>, NotFound>> TestAsync(
        string name, SyncOverview overview, SourceConnectionTester tester, AdminSession session, CancellationToken ct)
    {
        if (overview.Find(session.OrganizationSlug, name) is not { } source)
        {
            return TypedResults.NotFound();
        }

        var result = await tester.TestAsync(source, ct);
        return TypedResults.Ok(new ConnectionTest(source.Name, result.Succeeded, result.Check?.UsersInScope, result.Check?.Detail ?? result.Failure ?? ""));
    }

    private static async Task<Results<Accepted<Started>, NotFound>> StartAsync(string name, StartRequest? request, StartedKind kind, StartContext context, CancellationToken ct)
    {
        if (context.Overview.Find(context.Session.OrganizationSlug, name) is not { } source)
        {
            return TypedResults.NotFound();
        }

        var started = context.Runs.Start(source, context.Session.OrganizationId, kind, context.Session.PersonName, request?.Full ?? false);
        await context.Audit.StartedAsync(started, null, null, ct);
        return TypedResults.Accepted($"{AdminApi.BasePath}/sync/started/{started.Id}", ToStarted(started));
    }

    private static async Task<Results<Accepted<Started>, NotFound, ProblemHttpResult>> ForceAsync(long id, StartRequest? request, [AsParameters] StartContext context, CancellationToken ct)
    {
        var session = context.Session;
        if (await context.Overview.RunAsync(session.OrganizationSlug, id, ct) is not { } run)
        {
            return TypedResults.NotFound();
        }

        if (!session.IsOwner)
        {
            return TypedResults.Problem("Only an Owner may force a run past the deactivation guard.", statusCode: StatusCodes.Status403Forbidden);
        }

        if (run.Status != SyncRunStatus.Aborted || context.Overview.Find(session.OrganizationSlug, run.Source) is not { } source)
        {
            return TypedResults.Problem($"Run {id} was not aborted ({run.Status}); only an aborted run can be forced.", statusCode: StatusCodes.Status409Conflict);
        }

        var started = context.Runs.Start(source, session.OrganizationId, StartedKind.ForcedRun, session.PersonName, run.Full || (request?.Full ?? false));
        await context.Audit.StartedAsync(started, run.Id, run.AbortedReason, ct);
        return TypedResults.Accepted($"{AdminApi.BasePath}/sync/started/{started.Id}", ToStarted(started));
    }

    private static Results<Ok<Started>, NotFound> GetStarted(Guid id, ConsoleSyncRuns runs, AdminSession session) =>
        runs.Find(session.OrganizationId, id) is { } started ? TypedResults.Ok(ToStarted(started)) : TypedResults.NotFound();

    private static Started ToStarted(StartedRun started) => new(started.Id, started.Source, started.Kind.ToString(), started.StartedBy, started.StartedAt,
        started.Finished, started.Run is { } run ? ToRun(run) : null, started.Report, started.Failure);

    private static Run ToRun(SyncRun run) => new(run.Id, run.Source, run.Trigger, run.Status.ToString(), run.Forced, run.Full, run.StartedAt, run.FinishedAt,
        run.UsersRead, run.Created, run.Updated, run.Deactivated, run.Reactivated, run.GroupsChanged, run.MembershipsChanged, run.ErrorCount, run.AbortedReason);
}

using System.Diagnostics;
using System.Globalization;

namespace ScimBridge.Scim.Admin.Shared;

/// <summary>
/// Console responses carry <c>Server-Timing: app;dur=MS</c>, the time from the request's arrival to the response's
/// start (the session check included): the browser's developer tools show it, and the benchmark reads it.
/// </summary>
public static class ServerTiming
{
    public static IApplicationBuilder UseAdminServerTiming(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.Request.Path.StartsWithSegments(AdminConsole.BasePath))
        {
            var started = Stopwatch.GetTimestamp();
            context.Response.OnStarting(() =>
            {
                var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                context.Response.Headers["Server-Timing"] = "app;dur=" + elapsed.ToString("0.0", CultureInfo.InvariantCulture);
                return Task.CompletedTask;
            });
        }

        await next(context);
    });
}

using System.Diagnostics;
using Serilog;
using Serilog.Events;

namespace Crm.Web.Infrastructure.Logging;

/// <summary>
/// Serilog to the console and to a daily file under {data}/logs. Serilog.AspNetCore does not restore
/// here, so the request line is written by <see cref="RequestLoggingMiddleware"/> (docs/adr/0003).
/// </summary>
internal static class LoggingSetup
{
    public static void AddCrmLogging(this WebApplicationBuilder builder, string dataDirectory)
    {
        // Crm:Logging:Level (Verbose, Debug, Information, Warning, Error) sets the floor; tests use Warning.
        var level = Enum.TryParse<LogEventLevel>(builder.Configuration["Crm:Logging:Level"], ignoreCase: true, out var configured)
            ? configured
            : LogEventLevel.Information;
        var logger = new LoggerConfiguration()
            .MinimumLevel.Is(level)
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Information)
            .MinimumLevel.Override("Microsoft.EntityFrameworkCore", LogEventLevel.Warning)
            .MinimumLevel.Override("Hangfire", LogEventLevel.Warning)
            .Enrich.FromLogContext()
            // On a new database EF probes for each module's migrations history table with a SELECT that
            // fails by design and logs it as an error; a newcomer should not meet a red line on first start.
            .Filter.ByExcluding(e => e.Properties.TryGetValue("commandText", out var sql)
                && sql.ToString().Contains("__ef_migrations_history", StringComparison.Ordinal)
                && e.Level == LogEventLevel.Error)
            .WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}")
            .WriteTo.File(
                Path.Combine(dataDirectory, "logs", "crm-.log"),
                rollingInterval: RollingInterval.Day,
                retainedFileCountLimit: 14,
                outputTemplate: "{Timestamp:yyyy-MM-dd HH:mm:ss.fff zzz} [{Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}")
            .CreateLogger();
        builder.Logging.ClearProviders();
        builder.Logging.AddSerilog(logger, dispose: true);
    }

    public static IApplicationBuilder UseCrmRequestLogging(this IApplicationBuilder app) =>
        app.UseMiddleware<RequestLoggingMiddleware>();
}

/// <summary>
/// One line per request: method, path, status, duration, user id. The query string and headers are
/// left out on purpose: they may carry tokens (the iCalendar feed, API keys), and logs must hold no secrets.
/// </summary>
internal sealed class RequestLoggingMiddleware(RequestDelegate next, ILogger<RequestLoggingMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (!context.Request.Path.StartsWithSegments("/lib", StringComparison.Ordinal))
            {
                logger.LogInformation(
                    "HTTP {Method} {Path} responded {StatusCode} in {Elapsed:0.0} ms for {UserId}",
                    context.Request.Method,
                    context.Request.Path.Value,
                    context.Response.StatusCode,
                    elapsed,
                    context.User.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value ?? "anonymous");
            }
        }
    }
}

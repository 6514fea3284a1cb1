using System.Collections.Concurrent;
using Crm.Testing;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Crm.IntegrationTests.Host;

/// <summary>The app with the Hangfire server on, as in production.</summary>
public sealed class JobsApp : CrmApp
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Crm:Jobs:RunServer"] = "true" };
}

public sealed class BackgroundJobTests(JobsApp app) : IClassFixture<JobsApp>
{
    [Fact]
    public async Task An_enqueued_job_runs_on_the_postgresql_queue_within_seconds()
    {
        var marker = Guid.NewGuid();
        var enqueuedAt = DateTimeOffset.UtcNow;

        app.Services.GetRequiredService<IBackgroundJobClient>().Enqueue(() => MarkerJob.Mark(marker));

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!MarkerJob.Done.ContainsKey(marker) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.True(MarkerJob.Done.TryGetValue(marker, out var ranAt), "The job did not run within 20 s.");
        Assert.True(ranAt - enqueuedAt < TimeSpan.FromSeconds(10), $"The job ran after {(ranAt - enqueuedAt).TotalSeconds:0.0} s.");
    }

}

/// <summary>The job body: Hangfire calls it by type and method name on its worker thread.</summary>
public static class MarkerJob
{
    public static readonly ConcurrentDictionary<Guid, DateTimeOffset> Done = new();

    public static void Mark(Guid marker) => Done[marker] = DateTimeOffset.UtcNow;
}

using System.Globalization;
using System.Text;

namespace Crm.Bench;

internal static class Report
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Row(ScenarioResult r) => string.Format(
        Invariant,
        "| {0} | {1} | {2:0.0} | {3:0.0} | {4:0.0} | {5:0.0} | {6:0} | {7} |",
        r.Name, r.Requests, r.P50, r.P95, r.P99, r.Max, r.RequestsPerSecond, r.Errors);

    public static string Markdown(BenchOptions options, IReadOnlyList<ScenarioResult> results)
    {
        var text = new StringBuilder();
        text.AppendLine("# Benchmark: latest run");
        text.AppendLine();
        text.AppendLine(Invariant, $"- when: {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC");
        text.AppendLine(Invariant, $"- machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}");
        text.AppendLine(Invariant, $"- size: {options.Size}; concurrency: {options.Concurrency}; requests per scenario: {options.Requests} (after a warm-up)");
        text.AppendLine("- the app runs as its own process (Release, Production), PostgreSQL 15 on the same machine; times in ms");
        text.AppendLine();
        text.AppendLine("| scenario | requests | p50 | p95 | p99 | max | req/s | errors |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var result in results)
        {
            text.AppendLine(Row(result));
        }

        return text.ToString();
    }
}

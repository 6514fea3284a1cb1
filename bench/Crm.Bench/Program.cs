using System.Globalization;
using Crm.Bench;
using Crm.Bench.Datasets;

// ./crm.sh bench [--size small|large] [--concurrency N] [--requests N]
// Creates a separate database, loads generated data with binary COPY, starts the app against it as a
// separate process and measures named HTTP scenarios. The table goes to the console and to
// bench/results/latest.md. See bench/README.md.
var options = BenchOptions.Parse(args);
Console.WriteLine($"Crm bench: size {options.Size}, concurrency {options.Concurrency}, {options.Requests} requests per scenario");

await using var database = await BenchDatabase.CreateAsync();
await using (var migrate = await AppProcess.RunToEndAsync(options.Root, database.ConnectionString, "--migrate", "--seed"))
{
}

var datasets = new IBenchDataset[] { new IdentityDataset(), new ClientsDataset(), new DealsDataset(), new TasksDataset() };
foreach (var dataset in datasets)
{
    var started = DateTime.UtcNow;
    var rows = await dataset.LoadAsync(database.ConnectionString, options.Size);
    Console.WriteLine($"Loaded {dataset.Name}: {rows.ToString("N0", CultureInfo.InvariantCulture)} rows in {(DateTime.UtcNow - started).TotalSeconds:0.0} s");
}

await database.AnalyzeAsync();
Console.WriteLine("Statistics and visibility map refreshed (VACUUM ANALYZE)");
await using var app = await AppProcess.StartAsync(options.Root, database.ConnectionString);
var results = new List<ScenarioResult>();
foreach (var scenario in (await Scenarios.AllAsync(app.BaseUrl, database.ConnectionString))
    .Where(s => options.Only is null || s.Name.Contains(options.Only, StringComparison.OrdinalIgnoreCase)))
{
    var result = await ScenarioRunner.RunAsync(scenario, options.Concurrency, options.Requests);
    Console.WriteLine(Report.Row(result));
    results.Add(result);
}

var peak = app.PeakMemoryMiB();
var markdown = Report.Markdown(options, results) + (peak is null ? "" : $"\nApp peak resident memory over the whole run (VmHWM): {peak:0} MiB\n");
Directory.CreateDirectory(Path.Combine(options.Root, "bench", "results"));
await File.WriteAllTextAsync(Path.Combine(options.Root, "bench", "results", "latest.md"), markdown);
Console.WriteLine();
Console.WriteLine(markdown);
return results.Any(r => r.Errors > 0) ? 1 : 0;

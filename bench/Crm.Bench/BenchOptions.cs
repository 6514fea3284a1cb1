namespace Crm.Bench;

/// <param name="Only">Runs only the scenarios whose name contains this text (e.g. "import"); null runs all.</param>
internal sealed record BenchOptions(string Root, string Size, int Concurrency, int Requests, string? Only = null)
{
    public static BenchOptions Parse(string[] args)
    {
        string Value(string name, string fallback)
        {
            var index = Array.IndexOf(args, name);
            return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
        }

        var size = Value("--size", "small");
        if (size is not ("small" or "large"))
        {
            throw new ArgumentException("--size is small or large.");
        }

        return new BenchOptions(
            Path.GetFullPath(Value("--root", Directory.GetCurrentDirectory())),
            size,
            int.Parse(Value("--concurrency", "8"), System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(Value("--requests", size == "large" ? "4000" : "2000"), System.Globalization.CultureInfo.InvariantCulture),
            Value("--only", "") is { Length: > 0 } only ? only : null);
    }
}

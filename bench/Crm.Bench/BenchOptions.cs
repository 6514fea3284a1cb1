namespace Crm.Bench;

internal sealed record BenchOptions(string Root, string Size, int Concurrency, int Requests)
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
            int.Parse(Value("--requests", size == "large" ? "4000" : "2000"), System.Globalization.CultureInfo.InvariantCulture));
    }
}

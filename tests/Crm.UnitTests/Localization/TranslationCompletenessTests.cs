using System.Text.RegularExpressions;
using System.Xml.Linq;
using Xunit;

namespace Crm.UnitTests.Localization;

/// <summary>
/// The interface is complete in Russian and English: English text is the key, so every key a project
/// uses must have its Russian translation in that project's Resources/*.ru.resx (docs/adr/0006).
/// </summary>
public sealed partial class TranslationCompletenessTests
{
    public static TheoryData<string> Projects() => new(ProjectsWithTranslations());

    private static IEnumerable<string> ProjectsWithTranslations() =>
        Directory.EnumerateFiles(Path.Combine(RepositoryRoot, "src"), "*.ru.resx", SearchOption.AllDirectories)
            .Select(resx => Path.GetRelativePath(RepositoryRoot, Path.GetDirectoryName(Path.GetDirectoryName(resx))!))
            .Distinct();

    [Theory]
    [MemberData(nameof(Projects))]
    public void Every_string_a_project_shows_has_a_russian_translation(string project)
    {
        var directory = Path.Combine(RepositoryRoot, project);
        var translations = Directory.EnumerateFiles(Path.Combine(directory, "Resources"), "*.ru.resx")
            .SelectMany(file => XDocument.Load(file).Root!.Elements("data"))
            .ToDictionary(data => data.Attribute("name")!.Value, data => data.Element("value")?.Value ?? "");

        var used = UsedKeys(directory);
        var missing = used.Where(key => !translations.TryGetValue(key, out var text) || string.IsNullOrWhiteSpace(text)).ToList();
        var unused = translations.Keys.Except(used).ToList();

        Assert.True(missing.Count == 0, $"{project}: no Russian for:\n" + string.Join("\n", missing));
        Assert.True(unused.Count == 0, $"{project}: translations nothing uses (remove them):\n" + string.Join("\n", unused));
    }

    [Fact]
    public void Every_project_with_a_user_interface_has_its_translations()
    {
        var projects = ProjectsWithTranslations().ToList();

        Assert.Contains(Path.Combine("src", "Crm.Web"), projects);
        Assert.Contains(Path.Combine("src", "Modules", "Identity", "Crm.Identity"), projects);
    }

    private static HashSet<string> UsedKeys(string directory)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        var sources = Directory.EnumerateFiles(directory, "*.*", SearchOption.AllDirectories)
            .Where(file => file.EndsWith(".cs", StringComparison.Ordinal) || file.EndsWith(".cshtml", StringComparison.Ordinal))
            .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));
        foreach (var file in sources)
        {
            var text = File.ReadAllText(file);
            foreach (var pattern in new[] { LocalizerKey(), ErrorMessage(), DisplayName(), NavigationText(), MarkedKey() })
            {
                foreach (Match match in pattern.Matches(text))
                {
                    keys.Add(Regex.Unescape(match.Groups[1].Value));
                }
            }
        }

        return keys;
    }

    [GeneratedRegex("""\bL\["((?:[^"\\]|\\.)*)"[,\]]""")]
    private static partial Regex LocalizerKey();

    [GeneratedRegex(@"\bTextKey\.Of\(""((?:[^""\\]|\\.)*)""\)")]
    private static partial Regex MarkedKey();

    [GeneratedRegex(@"ErrorMessage\s*=\s*""((?:[^""\\]|\\.)*)""")]
    private static partial Regex ErrorMessage();

    [GeneratedRegex(@"Display\(Name\s*=\s*""((?:[^""\\]|\\.)*)""")]
    private static partial Regex DisplayName();

    [GeneratedRegex(@"new NavigationItem\(""[^""]*"",\s*""((?:[^""\\]|\\.)*)""")]
    private static partial Regex NavigationText();

    private static string RepositoryRoot
    {
        get
        {
            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "Crm.sln")))
                {
                    return directory.FullName;
                }
            }

            throw new InvalidOperationException("Crm.sln not found above " + AppContext.BaseDirectory);
        }
    }
}

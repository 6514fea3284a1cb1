using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Crm.Mail.Templates;

/// <summary>Conversions between the two parts of a mail: the plain-text part from HTML, and HTML from typed text.</summary>
internal static partial class MailText
{
    /// <summary>
    /// The plain-text part of an HTML body: scripts and styles dropped, line breaks where blocks end, tags
    /// stripped, entities decoded, runs of blank lines collapsed. Good enough for a mail client that shows
    /// text only; not a renderer.
    /// </summary>
    public static string FromHtml(string html)
    {
        var text = InvisibleBlocks().Replace(html, "");

        // As in a browser, the source's own line breaks and indentation are only spaces; tags make the lines.
        text = Whitespace().Replace(text, " ");
        text = LineBreaks().Replace(text, "\n");
        text = ParagraphEnds().Replace(text, "\n\n");
        text = BlockEnds().Replace(text, "\n");
        text = Tags().Replace(text, "");
        text = WebUtility.HtmlDecode(text).Replace("\r", "", StringComparison.Ordinal);
        var lines = text.Split('\n').Select(line => Spaces().Replace(line, " ").Trim());
        var result = new StringBuilder();
        var blank = 0;
        foreach (var line in lines)
        {
            blank = line.Length == 0 ? blank + 1 : 0;
            if (blank <= 1)
            {
                result.Append(line).Append('\n');
            }
        }

        return result.ToString().Trim();
    }

    /// <summary>HTML for a message typed as plain text: encoded, lines kept.</summary>
    public static string ToHtml(string text) =>
        "<p>" + WebUtility.HtmlEncode(text.Replace("\r", "", StringComparison.Ordinal)).Replace("\n", "<br>\n", StringComparison.Ordinal) + "</p>";

    [GeneratedRegex(@"<(script|style|head)\b[^>]*>.*?</\1\s*>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex InvisibleBlocks();

    [GeneratedRegex(@"<br\s*/?>", RegexOptions.IgnoreCase)]
    private static partial Regex LineBreaks();

    [GeneratedRegex(@"</(p|h[1-6]|table|ul|ol|blockquote)\s*>", RegexOptions.IgnoreCase)]
    private static partial Regex ParagraphEnds();

    [GeneratedRegex(@"</(div|li|tr)\s*>", RegexOptions.IgnoreCase)]
    private static partial Regex BlockEnds();

    [GeneratedRegex(@"<[^>]*>")]
    private static partial Regex Tags();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"[ \t\u00a0]+")]
    private static partial Regex Spaces();
}

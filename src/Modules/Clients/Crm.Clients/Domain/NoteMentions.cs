using System.Text;
using System.Text.Encodings.Web;
using Crm.Identity.Contracts;
using Microsoft.AspNetCore.Html;

namespace Crm.Clients.Domain;

/// <summary>
/// Mentions in notes: "@Иван Смирнов" or "@ivan" (the part of the e-mail before @) names a colleague.
/// The timeline shows them marked; the users mentioned are what a notification (the Tasks module's
/// contract, when it exists) will be sent to.
/// </summary>
internal static class NoteMentions
{
    /// <summary>The active users the text mentions, each once.</summary>
    public static IReadOnlyList<UserSummary> Find(string text, IEnumerable<UserSummary> users) =>
        users.Where(u => Tokens(u).Any(token => Contains(text, token))).DistinctBy(u => u.Id).ToList();

    /// <summary>The note as HTML: encoded, with every mention of a known user wrapped in a mark.</summary>
    public static IHtmlContent Html(string text, IEnumerable<UserSummary> users)
    {
        var encoder = HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All);
        var tokens = users.SelectMany(Tokens).OrderByDescending(t => t.Length).ToList();
        var html = new StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            var token = text[i] == '@' ? tokens.FirstOrDefault(t => At(text, i, t)) : null;
            if (token is null)
            {
                html.Append(encoder.Encode(text[i].ToString()));
                i++;
                continue;
            }

            html.Append("<span class=\"crm-mention\">").Append(encoder.Encode(text.Substring(i, token.Length))).Append("</span>");
            i += token.Length;
        }

        return new HtmlString(html.ToString());
    }

    private static IEnumerable<string> Tokens(UserSummary user) =>
        ["@" + user.FullName, "@" + user.Email.Split('@')[0]];

    private static bool Contains(string text, string token)
    {
        for (var i = text.IndexOf(token, StringComparison.OrdinalIgnoreCase); i >= 0; i = text.IndexOf(token, i + 1, StringComparison.OrdinalIgnoreCase))
        {
            if (At(text, i, token))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The token stands at <paramref name="index"/> as a whole word ("@ivan" is not "@ivanov").</summary>
    private static bool At(string text, int index, string token) =>
        string.Compare(text, index, token, 0, token.Length, StringComparison.OrdinalIgnoreCase) == 0
        && (index + token.Length == text.Length || !char.IsLetterOrDigit(text[index + token.Length]));
}

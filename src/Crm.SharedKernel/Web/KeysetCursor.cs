using System.Globalization;
using System.Text;

namespace Crm.SharedKernel.Web;

/// <summary>
/// The opaque "show more" cursor of lists read in (moment, id) order: the last row's moment and id, base64url.
/// Anything that does not decode is no cursor (the first page), never an error.
/// </summary>
public static class KeysetCursor
{
    public static string Encode(DateTimeOffset moment, Guid id) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{moment.UtcTicks.ToString(CultureInfo.InvariantCulture)}\n{id}"))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static (DateTimeOffset Moment, Guid Id)? Decode(string cursor)
    {
        try
        {
            var base64 = cursor.Replace('-', '+').Replace('_', '/');
            base64 += new string('=', (4 - base64.Length % 4) % 4);
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(base64)).Split('\n');
            if (parts.Length == 2 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                && ticks >= DateTimeOffset.MinValue.UtcTicks && ticks <= DateTimeOffset.MaxValue.UtcTicks && Guid.TryParse(parts[1], out var id))
            {
                return (new DateTimeOffset(ticks, TimeSpan.Zero), id);
            }
        }
        catch (FormatException)
        {
        }

        return null;
    }
}

using System.Globalization;

namespace Crm.SharedKernel.Text;

/// <summary>
/// A date as people type it in a form or a spreadsheet: "2026-11-22", "22.11.2026", "22/11/2026", or a
/// date with a time (an Excel cell); the one reading every module's import and custom fields share.
/// </summary>
public static class TypedDate
{
    private static readonly string[] Formats = ["yyyy-MM-dd", "dd.MM.yyyy", "d.M.yyyy", "dd/MM/yyyy", "dd.MM.yy", "yyyy-MM-dd HH:mm"];

    public static DateOnly? Parse(string typed)
    {
        var text = typed.Trim();
        return DateOnly.TryParseExact(text, Formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date
            : DateTime.TryParseExact(text, Formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time) ? DateOnly.FromDateTime(time)
            : null;
    }
}

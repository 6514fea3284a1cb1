using System.Globalization;
using System.Text.RegularExpressions;

namespace Crm.Automation.Running;

/// <summary>
/// A task's due moment as an admin writes it in a scenario: "+1d 10:00" (tomorrow at ten), "+1wd 10:00" (the next
/// working day, Monday to Friday), "+2h", "+30m", "+0d 18:00" (today at six). Days without a time make an
/// all-day task. Days and times are read in <paramref name="zone"/>.
/// </summary>
internal static partial class DueOffset
{
    [GeneratedRegex(@"^\+?(?<n>\d{1,3})\s*(?<unit>wd|d|h|m)(\s+(?<time>\d{1,2}:\d{2}))?$", RegexOptions.IgnoreCase)]
    private static partial Regex Pattern();

    public static bool IsValid(string? text) => string.IsNullOrWhiteSpace(text) || Pattern().IsMatch(text.Trim());

    /// <returns>The due moment and whether the task is all day.</returns>
    public static (DateTimeOffset DueAt, bool AllDay) Resolve(string? text, DateTimeOffset now, TimeZoneInfo zone)
    {
        var match = Pattern().Match((string.IsNullOrWhiteSpace(text) ? "+1d" : text).Trim());
        if (!match.Success)
        {
            return (now.AddDays(1), true);
        }

        var n = int.Parse(match.Groups["n"].Value, CultureInfo.InvariantCulture);
        var unit = match.Groups["unit"].Value.ToLowerInvariant();
        if (unit is "h" or "m")
        {
            return (unit == "h" ? now.AddHours(n) : now.AddMinutes(n), false);
        }

        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
        if (unit == "wd")
        {
            for (var added = 0; added < n;)
            {
                day = day.AddDays(1);
                if (day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
                {
                    added++;
                }
            }
        }
        else
        {
            day = day.AddDays(n);
        }

        var time = match.Groups["time"].Success && TimeOnly.TryParseExact(match.Groups["time"].Value.PadLeft(5, '0'), "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed)
            ? parsed
            : (TimeOnly?)null;
        var local = day.ToDateTime(time ?? new TimeOnly(12, 0));
        return (new DateTimeOffset(local, zone.GetUtcOffset(local)), time is null);
    }
}

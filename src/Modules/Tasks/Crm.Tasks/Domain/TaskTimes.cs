namespace Crm.Tasks.Domain;

/// <summary>
/// A user's days as UTC ranges: "today" is the user's today in their profile's time zone, wherever the
/// server runs. Pages turn a typed local date and time into an instant here, and back for display.
/// </summary>
internal readonly record struct UserDay(DateOnly Date, DateTimeOffset Start, DateTimeOffset End);

internal static class TaskTimes
{
    public static DateOnly Today(DateTimeOffset now, TimeZoneInfo timeZone) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, timeZone).DateTime);

    public static UserDay Day(DateOnly date, TimeZoneInfo timeZone) =>
        new(date, TaskItem.StartOfDay(date, timeZone), TaskItem.StartOfDay(date.AddDays(1), timeZone));

    /// <summary>A local date and time (none: the start of the day) in the time zone, as an instant.</summary>
    public static DateTimeOffset ToInstant(DateOnly date, TimeOnly? time, TimeZoneInfo timeZone)
    {
        var local = date.ToDateTime(time ?? TimeOnly.MinValue, DateTimeKind.Unspecified);
        if (timeZone.IsInvalidTime(local))
        {
            // A time skipped by a daylight-saving jump: take the moment right after the jump.
            local = local.AddHours(1);
        }

        return new DateTimeOffset(local, timeZone.GetUtcOffset(local)).ToUniversalTime();
    }

    public static DateTime ToLocal(DateTimeOffset instant, TimeZoneInfo timeZone) =>
        TimeZoneInfo.ConvertTime(instant, timeZone).DateTime;
}

using System.Collections.Concurrent;

namespace Crm.SharedKernel.Time;

/// <summary>
/// Time zones by IANA id, each looked up once: pages ask for a zone for every date they write, jobs for every task
/// they set, and the system lookup takes a process-wide lock (under load, requests queued on it). An unknown or
/// empty id is UTC.
/// </summary>
public static class TimeZones
{
    private static readonly ConcurrentDictionary<string, TimeZoneInfo> Found = new(StringComparer.Ordinal);

    public static TimeZoneInfo Find(string? id) =>
        string.IsNullOrWhiteSpace(id) ? TimeZoneInfo.Utc : Found.GetOrAdd(id, static key => TimeZoneInfo.TryFindSystemTimeZoneById(key, out var zone) ? zone : TimeZoneInfo.Utc);
}

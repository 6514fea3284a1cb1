namespace Crm.Tasks.Domain;

/// <summary>
/// The kinds, statuses and priorities as the API, the feed and the list's querystring spell them: lower
/// case ("call", "meeting", "email", "todo"; "open", "done", "cancelled"; "low", "normal", "high").
/// Parsing takes only these names, never numbers, so "7" or "Urgent" is refused rather than stored.
/// </summary>
internal static class TaskEnums
{
    public static readonly string[] KindNames = ["call", "meeting", "email", "todo"];
    public static readonly string[] StatusNames = ["open", "done", "cancelled"];
    public static readonly string[] PriorityNames = ["low", "normal", "high"];

    public static string Name(TaskKind kind) => kind.ToString().ToLowerInvariant();

    public static string Name(TaskState status) => status.ToString().ToLowerInvariant();

    public static string Name(TaskPriority priority) => priority.ToString().ToLowerInvariant();

    public static TaskKind? ParseKind(string? text) => Parse<TaskKind>(text, KindNames);

    public static TaskPriority? ParsePriority(string? text) => Parse<TaskPriority>(text, PriorityNames);

    private static T? Parse<T>(string? text, string[] names)
        where T : struct, Enum =>
        text is not null && names.Contains(text.Trim().ToLowerInvariant(), StringComparer.Ordinal)
            ? Enum.Parse<T>(text.Trim(), ignoreCase: true)
            : null;
}

namespace Crm.Tasks.Contracts;

/// <summary>
/// A notification for one user: its <paramref name="Kind"/> (a registered <see cref="NotificationKind"/>),
/// the subject it is about (a task's title, a deal's name: shown as typed, never translated), a link, and
/// <paramref name="OnceKey"/>, which makes it at most once: a second write with the same user and key is
/// ignored, so a retried job or a repeated event never notifies twice.
/// </summary>
public sealed record NotificationWrite(Guid UserId, string Kind, string Subject, string? Link, string OnceKey);

/// <summary>
/// The in-app notifications (the bell in the header), kept by the Tasks module. Any module notifies
/// through it: deals stalled, invoice overdue, incoming mail.
/// </summary>
public interface INotifications
{
    /// <summary>Stores the notifications at once (one statement); those whose (user, once key) exists already are skipped.</summary>
    Task NotifyAsync(IReadOnlyCollection<NotificationWrite> notifications, CancellationToken cancellationToken);
}

/// <summary>
/// How a kind of notification reads, registered as a singleton by the module that sends it:
/// <paramref name="Text"/> is a key of <paramref name="Strings"/> with {0} for the subject
/// ("Reminder: {0}"), so each user reads it in their own language whenever they open the list.
/// </summary>
public sealed record NotificationKind(string Key, string Text, Type Strings, string Icon = "bell");

using Bogus;
using Crm.Identity.Contracts;
using Crm.SharedKernel.Access;
using Crm.SharedKernel.Events;
using Crm.SharedKernel.Hosting;
using Crm.Tasks.Contracts;
using Crm.Tasks.Data;
using Crm.Tasks.Domain;
using Crm.Tasks.Integration;
using Microsoft.EntityFrameworkCore;

namespace Crm.Tasks.Seeding;

/// <summary>
/// About 500 tasks over the demo team and their own leads, companies, contacts and deals (found through
/// the link targets, acting as each user: never another module's tables): ten for each manager today,
/// overdue ones, upcoming meetings with durations, done ones with results, a few cancelled, subtasks,
/// tasks the head set for the managers, reminders. Saved with one SaveChanges; reminders and overdue
/// moments already past are marked as told, so the first sweep does not flood the demo users. Then each
/// linked record gets its next-task and last-activity dates once, and anna a handful of unread notifications.
/// </summary>
internal sealed class TasksDemoSeeder(
    TasksDbContext db,
    IUserDirectory users,
    TaskLinks links,
    IIntegrationEvents events,
    TimeProvider clock) : IDemoDataSeeder
{
    public const int TaskCount = 500;
    public const int TodayPerManager = 10;
    public const string HeadEmail = "head@crm.local";
    public const string AnnaEmail = "anna@crm.local";

    /// <summary>How many tasks each demo user gets (the head's include those she sets for the managers).</summary>
    private static readonly (string Email, int Count)[] Team =
    [
        ("anna@crm.local", 170),
        ("ivan@crm.local", 160),
        ("head@crm.local", 110),
        ("admin@crm.local", 60),
    ];

    private static readonly string[] CallTitles = ["Позвонить: {0}", "Перезвонить: {0}", "Уточнить сроки оплаты: {0}", "Звонок по счёту: {0}", "Обсудить условия поставки: {0}"];
    private static readonly string[] MeetingTitles = ["Встреча: {0}", "Презентация: {0}", "Выезд на объект: {0}", "Переговоры: {0}"];
    private static readonly string[] EmailTitles = ["Отправить КП: {0}", "Выслать договор: {0}", "Написать по итогам встречи: {0}", "Отправить счёт: {0}"];
    private static readonly string[] TodoTitles = ["Подготовить договор: {0}", "Собрать документы: {0}", "Согласовать скидку: {0}", "Проверить оплату: {0}"];
    private static readonly string[] FreeTitles = ["Подготовить отчёт за неделю", "Обновить прайс-лист", "Планёрка отдела", "Разобрать входящие заявки", "Заполнить план продаж"];
    private static readonly string[] SubtaskTitles = ["Подготовить презентацию", "Согласовать время", "Распечатать договор", "Забронировать переговорную", "Проверить остатки на складе"];
    private static readonly string[] Results =
    [
        "Дозвонился, договорились о встрече на следующей неделе.",
        "Клиент просит перезвонить после 15-го, сейчас нет бюджета.",
        "КП отправлено, клиент подтвердил получение.",
        "Встреча прошла хорошо: ждут договор до пятницы.",
        "Не дозвонился, оставил сообщение секретарю.",
        "Согласовали скидку 5 % при предоплате.",
        "Договор подписан, счёт выставлен.",
        "Клиент выбрал другого поставщика, причина — сроки доставки.",
        "Уточнили объём: 300 м кабеля и два щита.",
        "Оплата поступила, передал в отгрузку.",
    ];
    private static readonly string[] Tags = ["VIP", "срочно", "тендер"];

    private static readonly TimeZoneInfo Moscow = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");

    public int Order => 30;

    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        if (await db.Tasks.AnyAsync(cancellationToken))
        {
            return;
        }

        var active = await users.GetActiveUsersAsync(cancellationToken: cancellationToken);
        var team = Team.SelectMany(t => active.Where(u => u.Email == t.Email).Select(u => (User: u, t.Count))).ToList();
        var head = active.FirstOrDefault(u => u.Email == HeadEmail);
        if (team.Count == 0)
        {
            return;
        }

        // Each user's own records, as that user sees them through the owning module.
        var records = new Dictionary<Guid, List<LinkedRecord>>();
        foreach (var (user, _) in team)
        {
            using var acting = ActingUser.As(user.Id, user.FullName);
            var found = new List<LinkedRecord>();
            foreach (var target in links.All)
            {
                found.AddRange(await target.SearchAsync("", 60, cancellationToken));
            }

            var own = found.Where(r => r.OwnerId == user.Id).ToList();
            records[user.Id] = own.Count > 0 ? own : found;
        }

        var random = new Randomizer(2027);
        var now = clock.GetUtcNow();
        var today = TaskTimes.Today(now, Moscow);
        var tasks = new List<TaskItem>(TaskCount + 60);
        var managers = team.Select(t => t.User).Where(u => u.Email is "anna@crm.local" or "ivan@crm.local").ToList();
        foreach (var (user, count) in team)
        {
            for (var i = 0; i < count; i++)
            {
                // The head sets every fourth of hers for a manager of her department.
                var assignee = head is not null && user.Id == head.Id && i % 4 == 3 && managers.Count > 0 ? managers[i / 4 % managers.Count] : user;
                var bucket = i < TodayPerManager && user.Email != "admin@crm.local" ? Bucket.Today : PickBucket(random);
                tasks.Add(Task(random, now, today, user, assignee, bucket, records[user.Id]));
            }
        }

        tasks.AddRange(Subtasks(random, now, tasks));
        db.Tasks.AddRange(tasks);
        var anna = active.FirstOrDefault(u => u.Email == AnnaEmail);
        if (anna is not null)
        {
            db.Notifications.AddRange(AnnasNotifications(now, tasks.Where(t => t.AssigneeId == anna.Id).ToList()));
        }

        await db.SaveChangesAsync(cancellationToken);

        // Once per linked record (not per task): its earliest open due time and latest completion.
        foreach (var record in tasks.Where(t => t.LinkId is not null).GroupBy(t => (Kind: t.LinkKind!, Id: t.LinkId!.Value)))
        {
            var next = record.Where(t => t.IsOpen).Select(t => (DateTimeOffset?)t.DueAt).Min();
            var last = record.Where(t => t.Status == TaskState.Done).Select(t => t.CompletedAt).Max();
            await events.PublishAsync(new TaskActivityChanged(record.Key.Kind, record.Key.Id, next, last), cancellationToken);
        }
    }

    private enum Bucket
    {
        Today,
        Overdue,
        Upcoming,
        Done,
        Cancelled,
    }

    private static Bucket PickBucket(Randomizer random) => random.Number(0, 99) switch
    {
        < 12 => Bucket.Overdue,
        < 50 => Bucket.Upcoming,
        < 96 => Bucket.Done,
        _ => Bucket.Cancelled,
    };

    private static TaskItem Task(Randomizer random, DateTimeOffset now, DateOnly today, UserSummary author, UserSummary assignee, Bucket bucket, List<LinkedRecord> records)
    {
        var kind = random.Number(0, 99) switch
        {
            < 40 => TaskKind.Call,
            < 60 => TaskKind.Meeting,
            < 75 => TaskKind.Email,
            _ => TaskKind.Todo,
        };
        var record = records.Count > 0 && random.Number(0, 99) < 85 ? records[random.Number(0, records.Count - 1)] : null;
        var day = bucket switch
        {
            Bucket.Today => today,
            Bucket.Overdue => today.AddDays(-random.Number(1, 14)),
            Bucket.Upcoming => today.AddDays(random.Number(1, 30)),
            _ => today.AddDays(-random.Number(0, 90)),
        };
        var allDay = kind == TaskKind.Todo && random.Number(0, 99) < 25;
        var time = new TimeOnly(random.Number(9, 17), random.Bool() ? 0 : 30);
        var dueAt = TaskTimes.ToInstant(day, allDay ? null : time, Moscow);
        var open = bucket is Bucket.Today or Bucket.Overdue or Bucket.Upcoming;
        var remind = open && !allDay && random.Number(0, 99) < 40 ? new[] { 15, 30, 60 }[random.Number(0, 2)] : (int?)null;
        var title = record is null
            ? random.ArrayElement(FreeTitles)
            : string.Format(System.Globalization.CultureInfo.InvariantCulture, random.ArrayElement(kind switch
            {
                TaskKind.Call => CallTitles,
                TaskKind.Meeting => MeetingTitles,
                TaskKind.Email => EmailTitles,
                _ => TodoTitles,
            }), record.Name);
        var task = new TaskItem
        {
            Id = Guid.CreateVersion7(),
            Title = title.Length <= TaskItem.TitleLength ? title : title[..TaskItem.TitleLength],
            Kind = kind,
            Priority = random.Number(0, 99) switch { < 15 => TaskPriority.High, < 25 => TaskPriority.Low, _ => TaskPriority.Normal },
            AssigneeId = assignee.Id,
            AssigneeDepartmentId = assignee.DepartmentId,
            AuthorId = author.Id,
            DurationMinutes = kind == TaskKind.Meeting ? new[] { 30, 60, 90, 120 }[random.Number(0, 3)] : null,
            LinkKind = record?.Kind,
            LinkId = record?.Id,
            LinkName = record?.Name,
            Tags = random.Number(0, 99) < 10 ? [random.ArrayElement(Tags)] : [],
            Description = kind == TaskKind.Meeting && random.Bool() ? "Взять каталог и образцы." : null,
        };
        task.Schedule(dueAt, allDay, remind, Moscow);
        task.CreatedAt = Min(task.DueAt, now).AddDays(-random.Number(1, 10)).AddMinutes(-random.Number(0, 600));
        task.UpdatedAt = task.CreatedAt;
        switch (bucket)
        {
            case Bucket.Done:
                task.Status = TaskState.Done;
                task.CompletedAt = Min(task.DueAt.AddMinutes(random.Number(-120, 240)), now.AddMinutes(-5));
                task.CompletedById = assignee.Id;
                task.Result = random.ArrayElement(Results);
                task.UpdatedAt = Max(task.CompletedAt.Value, task.CreatedAt);
                break;
            case Bucket.Cancelled:
                task.Status = TaskState.Cancelled;
                task.UpdatedAt = Min(task.DueAt, now);
                break;
        }

        MarkPastAsTold(task, now);
        return task;
    }

    /// <summary>Two or three to-dos under some open meetings: the preparation, due before the meeting.</summary>
    private static IEnumerable<TaskItem> Subtasks(Randomizer random, DateTimeOffset now, List<TaskItem> tasks)
    {
        var parents = tasks.Where(t => t.IsOpen && t.Kind == TaskKind.Meeting && t.DueAt > now.AddDays(1)).Take(15).ToList();
        foreach (var parent in parents)
        {
            foreach (var title in random.ArrayElements(SubtaskTitles, random.Number(2, 3)))
            {
                var subtask = new TaskItem
                {
                    Id = Guid.CreateVersion7(),
                    Title = title,
                    Kind = TaskKind.Todo,
                    AssigneeId = parent.AssigneeId,
                    AssigneeDepartmentId = parent.AssigneeDepartmentId,
                    AuthorId = parent.AuthorId,
                    ParentId = parent.Id,
                    LinkKind = parent.LinkKind,
                    LinkId = parent.LinkId,
                    LinkName = parent.LinkName,
                    CreatedAt = parent.CreatedAt,
                    UpdatedAt = parent.CreatedAt,
                };
                subtask.Schedule(parent.DueAt.AddHours(-random.Number(2, 24)), false, null, Moscow);
                MarkPastAsTold(subtask, now);
                yield return subtask;
            }
        }
    }

    /// <summary>A reminder or overdue moment already past counts as told: the sweep tells only what comes after the seeding.</summary>
    private static void MarkPastAsTold(TaskItem task, DateTimeOffset now)
    {
        if (task.RemindAt is { } remindAt && remindAt <= now)
        {
            task.RemindedAt = remindAt;
        }

        if (task.OverdueAt <= now)
        {
            task.OverdueNotifiedAt = task.OverdueAt;
        }
    }

    /// <summary>
    /// A few unread notifications for anna (and two read), keyed as the sweep and the editor key theirs, so
    /// nothing is told twice: tasks the head set for her, overdue ones, a reminder.
    /// </summary>
    private static List<Notification> AnnasNotifications(DateTimeOffset now, List<TaskItem> annas)
    {
        var notifications = new List<Notification>();
        Notification Note(TaskItem task, string kind, string onceKey, DateTimeOffset at, bool read) => new()
        {
            Id = Guid.CreateVersion7(),
            UserId = task.AssigneeId,
            Kind = kind,
            Subject = task.Title.Length <= Notification.SubjectLength ? task.Title : task.Title[..Notification.SubjectLength],
            Link = "/tasks/" + task.Id,
            OnceKey = onceKey,
            CreatedAt = at,
            ReadAt = read ? at.AddMinutes(10) : null,
        };

        foreach (var task in annas.Where(t => t.AuthorId != t.AssigneeId && t.IsOpen).Take(3))
        {
            notifications.Add(Note(task, TaskNotificationKinds.Assigned, $"task:{task.Id}:assigned:{task.AssigneeId}:{task.UpdatedAt.UtcTicks}", Min(task.CreatedAt, now), read: false));
        }

        var overdue = annas.Where(t => t.IsOpen && t.OverdueNotifiedAt is not null).OrderByDescending(t => t.OverdueAt).Take(4).ToList();
        for (var i = 0; i < overdue.Count; i++)
        {
            var task = overdue[i];
            notifications.Add(Note(task, TaskNotificationKinds.Overdue, $"task:{task.Id}:overdue:{task.OverdueAt.UtcDateTime:yyyyMMddHHmm}", task.OverdueAt, read: i >= 2));
        }

        foreach (var task in annas.Where(t => t.IsOpen && t.RemindedAt is not null).OrderByDescending(t => t.RemindAt).Take(1))
        {
            notifications.Add(Note(task, TaskNotificationKinds.Reminder, $"task:{task.Id}:reminder:{task.RemindAt!.Value.UtcDateTime:yyyyMMddHHmm}", task.RemindAt.Value, read: false));
        }

        return notifications;
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}

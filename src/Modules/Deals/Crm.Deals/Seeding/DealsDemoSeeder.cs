using Bogus;
using Crm.Clients.Contracts;
using Crm.Deals.Data;
using Crm.Deals.Domain;
using Crm.Deals.Pipelines;
using Crm.Identity.Contracts;
using Crm.SharedKernel.Access;
using Crm.SharedKernel.Hosting;
using Microsoft.EntityFrameworkCore;

namespace Crm.Deals.Seeding;

/// <summary>
/// About 400 deals over the demo companies (and a few contacts) in both template pipelines, owned by
/// the demo sales team, with a stage history over the last six months that reads like real work: deals
/// walk stage by stage, a quarter won, a quarter lost with a reason, the rest open, some of those
/// stalled past their stage's limit and some paused. Built in memory and saved with one SaveChanges.
/// </summary>
internal sealed class DealsDemoSeeder(DealsDbContext db, PipelineCatalog catalog, IClientDirectory clients, IUserDirectory users, TimeProvider clock) : IDemoDataSeeder
{
    public const int DealCount = 400;
    private const string AdminEmail = "admin@crm.local";
    private static readonly string[] Owners = ["anna@crm.local", "ivan@crm.local", "head@crm.local"];

    private sealed record Product(string Name, string Unit, decimal Price, int MinQuantity, int MaxQuantity, int Step);

    private static readonly Product[] Goods =
    [
        new("Кабель ВВГнг 3x2.5", "м", 95m, 100, 2000, 50),
        new("Кабель ВВГнг 3x1.5", "м", 68m, 100, 2000, 50),
        new("Щит распределительный ЩРН-24", "шт", 4850m, 1, 12, 1),
        new("Автоматический выключатель 16А", "шт", 320m, 10, 120, 5),
        new("УЗО 40А 30мА", "шт", 2100m, 2, 40, 1),
        new("Светильник светодиодный 36 Вт", "шт", 1450m, 10, 200, 10),
        new("Кабель-канал 40x25", "м", 120m, 50, 600, 10),
        new("Розетка двойная с заземлением", "шт", 260m, 10, 150, 5),
        new("Труба гофрированная 20 мм", "м", 18m, 100, 1500, 50),
        new("Счётчик электроэнергии трёхфазный", "шт", 5900m, 1, 10, 1),
    ];

    private static readonly Product[] Services =
    [
        new("Монтаж электропроводки", "м²", 650m, 40, 600, 10),
        new("Проектирование электроснабжения", "усл.", 45000m, 1, 1, 1),
        new("Пусконаладочные работы", "ч", 2500m, 4, 40, 2),
        new("Выезд инженера на объект", "усл.", 3500m, 1, 3, 1),
        new("Техническое обслуживание щитовой", "мес.", 12000m, 1, 12, 1),
        new("Монтаж освещения", "точка", 900m, 10, 150, 5),
    ];

    private static readonly string[] GoodsTitles = ["Поставка кабельной продукции", "Комплектация щитовой", "Поставка светильников", "Оснащение склада", "Поставка электрооборудования", "Замена автоматики"];
    private static readonly string[] ServiceTitles = ["Электромонтаж офиса", "Проект электроснабжения", "Обслуживание щитовой", "Монтаж освещения цеха", "Пусконаладка оборудования"];
    private static readonly string[] TitleSuffixes = ["", "", "", ", 2 очередь", " (новый объект)", " — срочно", ", филиал"];
    private static readonly string[] LossComments = ["Выбрали поставщика с доставкой за два дня.", "Бюджет перенесли на следующий год.", "Не вышли на лицо, принимающее решение.", ""];

    public int Order => 20;

    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        if (await db.Deals.AnyAsync(cancellationToken))
        {
            return;
        }

        var active = await users.GetActiveUsersAsync(cancellationToken: cancellationToken);
        var team = active.Where(u => Owners.Contains(u.Email)).OrderBy(u => u.Email, StringComparer.Ordinal).ToList();
        var admin = active.FirstOrDefault(u => u.Email == AdminEmail);
        var pipelines = (await catalog.PipelinesAsync(cancellationToken)).Take(2).ToList();
        var reasons = (await catalog.LossReasonsAsync(cancellationToken)).Where(r => !r.IsArchived).ToList();
        if (team.Count == 0 || admin is null || pipelines.Count == 0 || reasons.Count == 0)
        {
            return;
        }

        IReadOnlyList<ClientSummary> companies, contacts;
        // The directory answers within the current user's scope: the admin sees every demo client.
        using (ActingUser.As(admin.Id, admin.FullName))
        {
            companies = await clients.SearchAsync(ClientKind.Company, "", 500, cancellationToken);
            contacts = await clients.SearchAsync(ClientKind.Contact, "", 500, cancellationToken);
        }

        if (companies.Count == 0)
        {
            return;
        }

        var random = new Randomizer(2026);
        var now = clock.GetUtcNow();
        var plans = Enumerable.Range(0, DealCount).Select(i => Plan(i, random, now, pipelines, team, companies, contacts, reasons)).OrderBy(p => p.Deal.CreatedAt).ToList();

        // Numbers are per year of creation: one block per year (six months span two years at most).
        foreach (var year in plans.GroupBy(p => p.Deal.CreatedAt.Year))
        {
            var number = await DealNumbers.ReserveAsync(db, year.Key, year.Count(), cancellationToken);
            foreach (var plan in year)
            {
                plan.Deal.Year = year.Key;
                plan.Deal.Number = number++;
            }
        }

        foreach (var plan in plans)
        {
            db.Deals.Add(plan.Deal);
            db.StageHistory.AddRange(plan.History);
            db.Timeline.AddRange(plan.Timeline);
            db.AuditLog.Add(new DealAuditEntry
            {
                Id = Guid.CreateVersion7(),
                At = plan.Deal.CreatedAt,
                UserId = plan.Owner.Id,
                UserName = plan.Owner.FullName,
                Action = Audit.DealAudit.Actions.Created,
                DealId = plan.Deal.Id,
                Summary = $"{plan.Deal.DisplayNumber} «{plan.Deal.Title}» ({MoveChannels.Page})",
            });
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    private sealed record DealPlan(Deal Deal, UserSummary Owner, List<StageHistoryEntry> History, List<DealTimelineEntry> Timeline);

    private static DealPlan Plan(
        int index,
        Randomizer random,
        DateTimeOffset now,
        List<Pipeline> pipelines,
        List<UserSummary> team,
        IReadOnlyList<ClientSummary> companies,
        IReadOnlyList<ClientSummary> contacts,
        List<LossReason> reasons)
    {
        var pipelineIndex = pipelines.Count > 1 && random.Number(0, 99) < 40 ? 1 : 0;
        var pipeline = pipelines[pipelineIndex];
        var isGoods = pipelineIndex == 0;
        var ordinary = pipeline.Stages.Where(s => s.Kind == StageKind.Open && !s.IsPause).ToList();
        var won = pipeline.Stages.FirstOrDefault(s => s.Kind == StageKind.Won);
        var lost = pipeline.Stages.FirstOrDefault(s => s.Kind == StageKind.Lost);
        var pause = pipeline.Stages.FirstOrDefault(s => s.IsPause);

        // The path: ordinary stages in order, then the outcome (won, lost, paused) or the stage it is in now.
        var roll = random.Number(0, 99);
        var path = new List<Stage>();
        if (roll < 25 && won is not null)
        {
            path.AddRange(ordinary);
            path.Add(won);
        }
        else if (roll < 50 && lost is not null)
        {
            path.AddRange(ordinary.Take(random.Number(1, ordinary.Count)));
            path.Add(lost);
        }
        else
        {
            // Open deals gather in the early stages, as on a real board.
            path.AddRange(ordinary.Take(Math.Min(ordinary.Count, 1 + (int)Math.Floor(Math.Pow(random.Double(), 1.6) * ordinary.Count))));
            if (roll >= 92 && pause is not null)
            {
                path.Add(pause);
            }
        }

        var last = path[^1];
        var closed = last.IsClosed;

        // When the last stay began: closed deals closed some time in the last five months; open ones
        // are either within their stage's limit or (about a quarter) stalled past it.
        var limit = last.TimeLimitDays ?? 10;
        var lastEntered = closed
            ? now.AddDays(-random.Number(1, 150)).AddHours(-random.Number(0, 23))
            : random.Number(0, 99) < 28 && last.TimeLimitDays is not null && !last.IsPause
                ? now.AddDays(-(limit + random.Number(1, 25))).AddHours(-random.Number(0, 23))
                : now.AddDays(-random.Number(0, Math.Max(0, limit - 1))).AddHours(-random.Number(1, 20));

        // Stays before the last one last around their stage's limit, squeezed to start within six months.
        var durations = path.Take(path.Count - 1).Select(s => TimeSpan.FromHours(random.Number(6, 24 * (s.TimeLimitDays ?? 7) * 6 / 5))).ToList();
        var earliest = now.AddDays(-182);
        var total = durations.Aggregate(TimeSpan.Zero, (sum, d) => sum + d);
        if (total > TimeSpan.Zero && lastEntered - total < earliest)
        {
            var factor = Math.Max(0.01, (lastEntered - earliest).TotalHours / total.TotalHours);
            durations = durations.Select(d => TimeSpan.FromHours(Math.Max(1, d.TotalHours * factor))).ToList();
            total = durations.Aggregate(TimeSpan.Zero, (sum, d) => sum + d);
        }

        var created = lastEntered - total;
        var company = index % 7 == 6 && contacts.Count > 0 ? null : companies[random.Number(0, companies.Count - 1)];
        var contact = company is null ? contacts[random.Number(0, contacts.Count - 1)] : null;
        var client = company ?? contact!;
        var owner = team.FirstOrDefault(u => u.Id == client.OwnerId) ?? team[index % team.Count];

        var deal = new Deal
        {
            Id = Guid.CreateVersion7(),
            Title = random.ArrayElement(isGoods ? GoodsTitles : ServiceTitles) + random.ArrayElement(TitleSuffixes),
            PipelineId = pipeline.Id,
            StageId = last.Id,
            StageEnteredAt = lastEntered,
            CompanyId = company?.Id,
            CompanyName = company?.Name,
            ContactId = contact?.Id,
            ContactName = contact?.Name,
            Currency = pipeline.Currency,
            ExpectedClose = DateOnly.FromDateTime(created.AddDays(random.Number(20, 90)).UtcDateTime),
            OwnerId = owner.Id,
            OwnerDepartmentId = owner.DepartmentId,
            Source = (DealSource)random.Number(0, Enum.GetValues<DealSource>().Length - 1),
            PaymentForm = random.Bool() ? (PaymentForm)random.Number(0, Enum.GetValues<PaymentForm>().Length - 1) : null,
            Delivery = isGoods && random.Bool() ? (DeliveryKind)random.Number(1, Enum.GetValues<DeliveryKind>().Length - 1) : null,
            ClosedAt = closed ? lastEntered : null,
            CreatedAt = created,
            UpdatedAt = lastEntered,
        };

        // Every stage on the path let the deal in, so what those stages require is filled.
        var required = path.SelectMany(s => s.RequiredFields).ToHashSet(StringComparer.Ordinal);
        if (required.Contains("paymentForm"))
        {
            deal.PaymentForm ??= PaymentForm.BankTransfer;
        }

        if (required.Contains("delivery"))
        {
            deal.Delivery ??= DeliveryKind.TransportCompany;
        }

        if (required.Contains("probability"))
        {
            deal.Probability ??= last.Probability;
        }

        if (last.Kind == StageKind.Lost)
        {
            deal.LossReasonId = reasons[random.Number(0, reasons.Count - 1)].Id;
            deal.LossComment = random.ArrayElement(LossComments) is { Length: > 0 } comment ? comment : null;
        }

        var catalog = isGoods ? Goods : Services;
        var lines = isGoods ? random.Number(1, 4) : 2;
        deal.Items = random.Shuffle(catalog).Take(lines).Select((product, position) => new LineItem
        {
            Id = Guid.CreateVersion7(),
            DealId = deal.Id,
            Position = position,
            Name = product.Name,
            Unit = product.Unit,
            Quantity = random.Number(product.MinQuantity / product.Step, product.MaxQuantity / product.Step) * product.Step,
            Price = product.Price,
            DiscountPercent = random.Number(0, 9) == 0 ? 5m : 0m,
            VatRate = 20m,
        }).ToList();
        deal.RecalculateAmount();

        var history = new List<StageHistoryEntry>();
        var timeline = new List<DealTimelineEntry>
        {
            new() { Id = Guid.CreateVersion7(), DealId = deal.Id, Kind = "created", Subject = "Сделка создана", Text = path[0].Name, AuthorId = owner.Id, AuthorName = owner.FullName, CreatedAt = created },
        };
        var entered = created;
        for (var i = 0; i < path.Count; i++)
        {
            DateTimeOffset? left = i < path.Count - 1 ? entered + durations[i] : null;
            history.Add(new StageHistoryEntry
            {
                Id = Guid.CreateVersion7(),
                DealId = deal.Id,
                PipelineId = pipeline.Id,
                StageId = path[i].Id,
                EnteredAt = entered,
                EnteredBy = owner.Id,
                LeftAt = left,
                LeftBy = left is null ? null : owner.Id,
                Channel = i == 0 ? MoveChannels.Page : MoveChannels.Board,
            });
            if (left is { } next)
            {
                timeline.Add(new DealTimelineEntry
                {
                    Id = Guid.CreateVersion7(),
                    DealId = deal.Id,
                    Kind = "stage",
                    Subject = "Стадия изменена",
                    Text = $"Стадия: {path[i].Name} → {path[i + 1].Name}",
                    AuthorId = owner.Id,
                    AuthorName = owner.FullName,
                    CreatedAt = next,
                });
                entered = next;
            }
        }

        // The rounding of the squeezed durations must not leave a gap: the last stay starts where the deal says.
        history[^1].EnteredAt = lastEntered;
        if (history.Count > 1)
        {
            history[^2].LeftAt = lastEntered;
            timeline[^1].CreatedAt = lastEntered;
        }

        return new DealPlan(deal, owner, history, timeline);
    }
}

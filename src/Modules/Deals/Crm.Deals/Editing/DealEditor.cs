using System.Globalization;
using System.Text.RegularExpressions;
using Crm.Clients.Contracts;
using Crm.CustomFields.Contracts;
using Crm.Deals.Access;
using Crm.Deals.Audit;
using Crm.Deals.Data;
using Crm.Deals.Domain;
using Crm.Deals.Moving;
using Crm.Deals.Pipelines;
using Crm.Identity.Contracts;
using Crm.SharedKernel.Access;
using Crm.SharedKernel.Text;
using Microsoft.Extensions.Localization;

namespace Crm.Deals.Editing;

/// <summary>A line item as typed: every value is text, checked by <see cref="DealEditor"/>.</summary>
internal sealed class LineItemInput
{
    public string? Name { get; set; }

    public string? Quantity { get; set; }

    public string? Unit { get; set; }

    public string? Price { get; set; }

    public string? Discount { get; set; }

    public string? Vat { get; set; }

    /// <summary>A row left empty on the form (the editor always offers one) is no line item.</summary>
    public bool IsBlank =>
        string.IsNullOrWhiteSpace(Name) && string.IsNullOrWhiteSpace(Price) && string.IsNullOrWhiteSpace(Unit)
        && (string.IsNullOrWhiteSpace(Quantity) || Quantity.Trim() == "1") && string.IsNullOrWhiteSpace(Discount) && string.IsNullOrWhiteSpace(Vat);
}

/// <summary>
/// What a channel (the deal form, the API) wants a deal to be, as typed text. In a partial change (an
/// API patch) a null value keeps the deal's current one; otherwise null means empty (a form sends every
/// field). An empty text clears a value either way.
/// </summary>
internal sealed class DealInput
{
    public string? Title { get; set; }

    /// <summary>A new deal's pipeline; null: the first one (or the stage's).</summary>
    public Guid? PipelineId { get; set; }

    /// <summary>A new deal's starting stage, an open one; null: the pipeline's first ordinary stage.</summary>
    public Guid? StageId { get; set; }

    public Guid? CompanyId { get; set; }

    /// <summary>
    /// The picker's text when no suggestion was chosen: taken when exactly one company has that name.
    /// Empty with no id unlinks the company, also in a partial change.
    /// </summary>
    public string? CompanyText { get; set; }

    public Guid? ContactId { get; set; }

    /// <summary>As <see cref="CompanyText"/>.</summary>
    public string? ContactText { get; set; }

    public Guid? LeadId { get; set; }

    /// <summary>As <see cref="CompanyText"/>.</summary>
    public string? LeadText { get; set; }

    public string? Amount { get; set; }

    public string? Currency { get; set; }

    public string? ExpectedClose { get; set; }

    public Guid? OwnerId { get; set; }

    public string? Probability { get; set; }

    public string? Source { get; set; }

    public string? PaymentForm { get; set; }

    public string? Delivery { get; set; }

    /// <summary>Null keeps the items (partial only); blank rows are skipped.</summary>
    public IReadOnlyList<LineItemInput>? Items { get; set; }

    /// <summary>Custom field values as text by key; null keeps them (partial only).</summary>
    public IReadOnlyDictionary<string, string?>? Custom { get; set; }
}

/// <summary>
/// Messages about an input by field: the input's property names ("Title", "Amount", "Items[0].Price"),
/// and "CustomFields.{key}" for custom fields, in the user's language.
/// </summary>
internal sealed class DealInputErrors : Dictionary<string, string>
{
    public const string CustomPrefix = "CustomFields.";

    public DealInputErrors()
        : base(StringComparer.Ordinal)
    {
    }

    public void Set(string field, string message) => TryAdd(field, message);

    /// <summary>The custom fields' messages by field key, as the custom-field inputs partial wants them.</summary>
    public IReadOnlyDictionary<string, string> Custom() =>
        this.Where(e => e.Key.StartsWith(CustomPrefix, StringComparison.Ordinal)).ToDictionary(e => e.Key[CustomPrefix.Length..], e => e.Value, StringComparer.Ordinal);
}

/// <summary>
/// The one place that puts an input on a deal and checks it, for every channel that creates or edits
/// deals (the form and the API; imports later): title, clients (re-checked through the Clients
/// contract, their names copied), money, terms, owner within the user's scope, line items (whose total
/// becomes the amount), custom fields (global and the pipeline's), and the fields the deal's stage
/// requires. Stages change only through the mover. Nothing is saved here: the caller saves when
/// <see cref="DealInputErrors"/> is empty (a new deal through <see cref="DealCreation"/>).
/// </summary>
internal sealed partial class DealEditor(
    DealsDbContext db,
    PipelineCatalog catalog,
    IClientDirectory clients,
    ICustomFields customFields,
    DealOwners owners,
    DealTimeline timeline,
    DealAudit audit,
    IUserDirectory users,
    ICurrentUser currentUser,
    TimeProvider clock,
    IStringLocalizer<DealsStrings> strings)
{
    public const int MaxItems = 200;
    public const int TitleLength = 300;
    private const decimal MaxMoney = 999_999_999_999m;

    /// <summary>Named L so the translation check finds the keys.</summary>
    private IStringLocalizer<DealsStrings> L => strings;

    public Task<ICustomFieldSet> CustomFieldsAsync(Guid pipelineId, CancellationToken cancellationToken) =>
        customFields.ForAsync(EntityKinds.Deal, pipelineId.ToString(), cancellationToken);

    /// <summary>
    /// A new deal (not yet added): its pipeline and starting stage from the input, then every field.
    /// The stage is null when the input names none that a new deal may start in; the deal is valid
    /// only when the errors are empty.
    /// </summary>
    public async Task<(Stage? Stage, DealInputErrors Errors)> ApplyNewAsync(Deal deal, DealInput input, CancellationToken cancellationToken)
    {
        var errors = new DealInputErrors();
        var pipelines = await catalog.PipelinesAsync(cancellationToken);
        var pipeline = input.PipelineId is { } pipelineId
            ? pipelines.FirstOrDefault(p => p.Id == pipelineId)
            : pipelines.FirstOrDefault(p => p.Stages.Count > 0);
        Stage? stage = null;
        if (input.StageId is { } stageId)
        {
            // A stage of another pipeline, a closed one or none at all: the same answer, the form lists the open ones.
            var found = await catalog.FindStageAsync(stageId, cancellationToken);
            if (found is var (stagePipeline, open) && open.Kind == StageKind.Open && (input.PipelineId is null || stagePipeline.Id == input.PipelineId))
            {
                (pipeline, stage) = (stagePipeline, open);
            }
            else
            {
                errors.Set(nameof(DealInput.StageId), L["Choose an open stage of the pipeline."]);
            }
        }

        if (pipeline is null || pipeline.Stages.Count == 0)
        {
            errors.Set(nameof(DealInput.PipelineId), L["There is no such pipeline."]);
            return (null, errors);
        }

        stage ??= errors.ContainsKey(nameof(DealInput.StageId)) ? null : DealCreation.FirstStage(pipeline);

        // With a wrong stage the fields are still checked, against the first stage, so every message shows at once.
        await ApplyAsync(deal, input, pipeline, stage ?? DealCreation.FirstStage(pipeline), isNew: true, partial: false, errors, cancellationToken);
        return (errors.Count == 0 ? stage : null, errors);
    }

    /// <summary>
    /// A tracked deal being edited: the input's fields (in a <paramref name="partial"/> change only those
    /// it carries), then, when all is well, what changed goes to the deal's timeline and the audit log
    /// (tagged with the <paramref name="channel"/>), to be saved with the deal.
    /// </summary>
    public async Task<DealInputErrors> ApplyChangesAsync(Deal deal, DealInput input, bool partial, string channel, CancellationToken cancellationToken)
    {
        var (pipeline, stage) = await catalog.FindStageAsync(deal.StageId, cancellationToken)
            ?? throw new InvalidOperationException($"Deal {deal.Id} is in stage {deal.StageId}, which no pipeline has.");
        var set = await CustomFieldsAsync(pipeline.Id, cancellationToken);
        var ownerBefore = deal.OwnerId;
        var before = Snapshot(deal, set);
        var errors = new DealInputErrors();
        await ApplyAsync(deal, input, pipeline, stage, isNew: false, partial, errors, cancellationToken);
        if (errors.Count > 0)
        {
            return errors;
        }

        deal.UpdatedAt = clock.GetUtcNow();
        var after = Snapshot(deal, set);
        if (ownerBefore != deal.OwnerId)
        {
            var names = await users.GetUsersAsync([ownerBefore, deal.OwnerId], cancellationToken);
            before[L["Responsible"]] = names.GetValueOrDefault(ownerBefore)?.FullName;
            after[L["Responsible"]] = names.GetValueOrDefault(deal.OwnerId)?.FullName;
        }

        var changes = string.Join('\n', after
            .Where(pair => (before.GetValueOrDefault(pair.Key) ?? "") != (pair.Value ?? ""))
            .Select(pair => $"{pair.Key}: {Show(before.GetValueOrDefault(pair.Key))} → {Show(pair.Value)}"));
        if (changes.Length > 0)
        {
            timeline.Write(deal.Id, ownerBefore != deal.OwnerId ? "owner" : "changed", L["Fields changed"], changes, deal.UpdatedAt);
            audit.Record(DealAudit.Actions.Changed, deal.Id, $"{changes} ({channel})");
        }

        return errors;
    }

    /// <param name="deal">A new deal (not yet added) or a tracked one being edited.</param>
    /// <param name="stage">The stage the deal will be in: its required fields are checked.</param>
    /// <param name="isNew">Owners come from the create scope, else the edit scope.</param>
    private async Task ApplyAsync(Deal deal, DealInput input, Pipeline pipeline, Stage stage, bool isNew, bool partial, DealInputErrors errors, CancellationToken cancellationToken)
    {
        if (!partial || input.Title is not null)
        {
            var title = input.Title?.Trim() ?? "";
            if (title.Length == 0)
            {
                errors.Set(nameof(DealInput.Title), L["Enter the deal's title."]);
            }
            else if (title.Length > TitleLength)
            {
                errors.Set(nameof(DealInput.Title), L["At most {0} characters.", TitleLength]);
            }

            deal.Title = Cut(title, TitleLength);
        }

        await ApplyClientAsync(deal, ClientKind.Company, input.CompanyId, input.CompanyText, partial, errors, cancellationToken);
        await ApplyClientAsync(deal, ClientKind.Contact, input.ContactId, input.ContactText, partial, errors, cancellationToken);
        await ApplyClientAsync(deal, ClientKind.Lead, input.LeadId, input.LeadText, partial, errors, cancellationToken);

        List<LineItem>? items = null;
        if (!partial || input.Items is not null)
        {
            items = ParseItems(deal.Id, input.Items ?? [], errors);
        }

        var itemCount = items?.Count ?? deal.Items.Count;
        if (itemCount > 0)
        {
            if (items is not null)
            {
                deal.Amount = items.Sum(i => i.Total);
            }

            // A form always posts its read-only amount field; an API caller who sends an amount with items means it.
            if (partial && input.Amount is not null && (!DealFields.TryParseMoney(input.Amount, out var typed) || Math.Round(typed, 2) != deal.Amount))
            {
                errors.Set(nameof(DealInput.Amount), L["The amount is the total of the line items; change the items instead."]);
            }
        }
        else if (!partial || input.Amount is not null)
        {
            if (string.IsNullOrWhiteSpace(input.Amount))
            {
                deal.Amount = 0;
            }
            else if (!DealFields.TryParseMoney(input.Amount, out var amount) || amount < 0 || amount > MaxMoney)
            {
                errors.Set(nameof(DealInput.Amount), L["Enter an amount like 150 000,50."]);
            }
            else
            {
                deal.Amount = Math.Round(amount, 2, MidpointRounding.AwayFromZero);
            }
        }

        if (!partial || input.Currency is not null)
        {
            var currency = string.IsNullOrWhiteSpace(input.Currency) ? pipeline.Currency : input.Currency.Trim().ToUpperInvariant();
            if (CurrencyCode().IsMatch(currency))
            {
                deal.Currency = currency;
            }
            else
            {
                errors.Set(nameof(DealInput.Currency), L["Enter a three-letter currency code, like RUB."]);
            }
        }

        if (!partial || input.ExpectedClose is not null)
        {
            if (string.IsNullOrWhiteSpace(input.ExpectedClose))
            {
                deal.ExpectedClose = null;
            }
            else if (TypedDate.Parse(input.ExpectedClose) is { } date)
            {
                deal.ExpectedClose = date;
            }
            else
            {
                errors.Set(nameof(DealInput.ExpectedClose), L["Enter a date like 31.12.2026."]);
            }
        }

        if (!partial || input.Probability is not null)
        {
            if (string.IsNullOrWhiteSpace(input.Probability))
            {
                deal.Probability = null;
            }
            else if (int.TryParse(input.Probability.Trim().TrimEnd('%'), NumberStyles.Integer, CultureInfo.InvariantCulture, out var probability) && probability is >= 0 and <= 100)
            {
                deal.Probability = probability;
            }
            else
            {
                errors.Set(nameof(DealInput.Probability), L["Enter a probability from 0 to 100."]);
            }
        }

        ApplyChoice<DealSource>(input.Source, partial, nameof(DealInput.Source), value => deal.Source = value, errors);
        ApplyChoice<PaymentForm>(input.PaymentForm, partial, nameof(DealInput.PaymentForm), value => deal.PaymentForm = value, errors);
        ApplyChoice<DeliveryKind>(input.Delivery, partial, nameof(DealInput.Delivery), value => deal.Delivery = value, errors);

        if (!partial || input.OwnerId is not null || isNew)
        {
            var requested = input.OwnerId ?? (isNew ? currentUser.Id : deal.OwnerId);
            var choices = await owners.ChoicesAsync(isNew ? AccessAction.Create : AccessAction.Edit, cancellationToken);
            if (choices.FirstOrDefault(u => u.Id == requested) is { } owner)
            {
                deal.OwnerId = owner.Id;
                deal.OwnerDepartmentId = owner.DepartmentId;
            }
            else if (isNew || requested != deal.OwnerId)
            {
                // Keeping an owner outside one's reach is fine (a head's deal edited by its manager); choosing one is not.
                errors.Set(nameof(DealInput.OwnerId), L["Choose a responsible user from the list."]);
            }
        }

        var set = await CustomFieldsAsync(pipeline.Id, cancellationToken);
        if (!partial || input.Custom is not null)
        {
            var messages = new Dictionary<string, string>(StringComparer.Ordinal);
            var values = set.Parse(input.Custom ?? new Dictionary<string, string?>(), deal.CustomFields, partial, messages);
            foreach (var (key, message) in messages)
            {
                errors.Set(DealInputErrors.CustomPrefix + key, message);
            }

            if (messages.Count == 0)
            {
                deal.CustomFields = values;
            }
        }

        RequireStageFields(deal, stage, set, items?.Count ?? deal.Items.Count, partial ? input : null, errors);

        if (errors.Count == 0 && items is not null)
        {
            ReplaceItems(deal, items, isNew);
        }
    }

    /// <summary>The input field a stage's required field is typed in.</summary>
    private static string FieldOf(string requiredKey) => requiredKey switch
    {
        "amount" => nameof(DealInput.Amount),
        "expectedClose" => nameof(DealInput.ExpectedClose),
        "probability" => nameof(DealInput.Probability),
        "source" => nameof(DealInput.Source),
        "paymentForm" => nameof(DealInput.PaymentForm),
        "delivery" => nameof(DealInput.Delivery),
        "company" => nameof(DealInput.CompanyId),
        "contact" => nameof(DealInput.ContactId),
        _ when requiredKey.StartsWith(RequirableField.CustomPrefix, StringComparison.Ordinal) => DealInputErrors.CustomPrefix + requiredKey[RequirableField.CustomPrefix.Length..],
        _ => requiredKey,
    };

    /// <summary>
    /// The stage's required fields hold on every channel: a deal is never created or left in a stage
    /// without them. In a partial change (<paramref name="partial"/> set) only the fields it carries are
    /// checked: one left alone, empty since a forced move or a new rule, is not this caller's problem.
    /// </summary>
    private void RequireStageFields(Deal deal, Stage stage, ICustomFieldSet set, int itemCount, DealInput? partial, DealInputErrors errors)
    {
        foreach (var key in stage.RequiredFields.Where(k => partial is null || Carries(partial, k)))
        {
            bool filled;
            if (key.StartsWith(RequirableField.CustomPrefix, StringComparison.Ordinal))
            {
                var field = set.Fields.FirstOrDefault(f => f.Key == key[RequirableField.CustomPrefix.Length..]);
                if (field is null)
                {
                    continue;
                }

                filled = set.Text(field, deal.CustomFields) is not null;
            }
            else if (DealFields.Find(key) is { } standard)
            {
                filled = standard.IsFilled(deal) || (key == "amount" && itemCount > 0 && deal.Amount > 0);
            }
            else
            {
                continue;
            }

            if (!filled)
            {
                errors.Set(FieldOf(key), L["The stage «{0}» requires this field.", stage.Name]);
            }
        }
    }

    private static bool Carries(DealInput input, string requiredKey) => requiredKey switch
    {
        "amount" => input.Amount is not null || input.Items is not null,
        "expectedClose" => input.ExpectedClose is not null,
        "probability" => input.Probability is not null,
        "source" => input.Source is not null,
        "paymentForm" => input.PaymentForm is not null,
        "delivery" => input.Delivery is not null,
        "company" => input.CompanyId is not null || input.CompanyText is not null,
        "contact" => input.ContactId is not null || input.ContactText is not null,
        _ when requiredKey.StartsWith(RequirableField.CustomPrefix, StringComparison.Ordinal) => input.Custom?.ContainsKey(requiredKey[RequirableField.CustomPrefix.Length..]) == true,
        _ => false,
    };

    private async Task ApplyClientAsync(Deal deal, ClientKind kind, Guid? id, string? text, bool partial, DealInputErrors errors, CancellationToken cancellationToken)
    {
        var (field, current) = kind switch
        {
            ClientKind.Company => (nameof(DealInput.CompanyId), deal.CompanyId),
            ClientKind.Contact => (nameof(DealInput.ContactId), deal.ContactId),
            _ => (nameof(DealInput.LeadId), deal.LeadId),
        };
        if (partial && id is null && text is null)
        {
            return;
        }

        // A lead has no picker to type into: its text only ever clears it.
        if (id is null && !string.IsNullOrWhiteSpace(text) && kind != ClientKind.Lead)
        {
            // Typed without choosing a suggestion (no script, or quick typing): one record of exactly that name is meant.
            var found = (await clients.SearchAsync(kind, text.Trim(), 20, cancellationToken))
                .Where(c => string.Equals(c.Name, text.Trim(), StringComparison.CurrentCultureIgnoreCase)).ToList();
            if (found.Count != 1)
            {
                errors.Set(field, kind == ClientKind.Company
                    ? L["No single company is called «{0}»: choose one from the suggestions.", text.Trim()]
                    : L["No single contact is called «{0}»: choose one from the suggestions.", text.Trim()]);
                return;
            }

            Link(deal, kind, found[0]);
            return;
        }

        if (id is null)
        {
            Link(deal, kind, null);
            return;
        }

        if (id == current)
        {
            // Already linked: kept even when the user may no longer see the client (its name stays as copied).
            return;
        }

        var client = await clients.FindAsync(kind, id.Value, cancellationToken);
        if (client is null && await clients.FindSurvivorAsync(id.Value, cancellationToken) is { } survivor)
        {
            client = await clients.FindAsync(kind, survivor, cancellationToken);
        }

        if (client is null)
        {
            errors.Set(field, kind switch
            {
                ClientKind.Company => L["Choose a company from the suggestions."],
                ClientKind.Contact => L["Choose a contact from the suggestions."],
                _ => L["The lead was not found."],
            });
            return;
        }

        Link(deal, kind, client);
    }

    private static void Link(Deal deal, ClientKind kind, ClientSummary? client)
    {
        var name = client is null ? null : Cut(client.Name, 300);
        switch (kind)
        {
            case ClientKind.Company:
                (deal.CompanyId, deal.CompanyName) = (client?.Id, name);
                break;
            case ClientKind.Contact:
                (deal.ContactId, deal.ContactName) = (client?.Id, name);
                break;
            default:
                (deal.LeadId, deal.LeadName) = (client?.Id, name);
                break;
        }
    }

    private List<LineItem> ParseItems(Guid dealId, IReadOnlyList<LineItemInput> rows, DealInputErrors errors)
    {
        var items = new List<LineItem>();
        var filled = rows.Select((row, index) => (Row: row, Index: index)).Where(r => !r.Row.IsBlank).ToList();
        if (filled.Count > MaxItems)
        {
            errors.Set("Items", L["At most {0} line items.", MaxItems]);
            return items;
        }

        foreach (var (row, index) in filled)
        {
            var prefix = $"Items[{index}].";
            var name = row.Name?.Trim() ?? "";
            if (name.Length == 0)
            {
                errors.Set(prefix + nameof(LineItemInput.Name), L["Name the product or service."]);
            }
            else if (name.Length > 300)
            {
                errors.Set(prefix + nameof(LineItemInput.Name), L["At most {0} characters.", 300]);
            }

            var quantity = 1m;
            if (!string.IsNullOrWhiteSpace(row.Quantity) && (!DealFields.TryParseMoney(row.Quantity, out quantity) || quantity <= 0 || quantity > 1_000_000_000m))
            {
                errors.Set(prefix + nameof(LineItemInput.Quantity), L["Enter a quantity greater than zero."]);
            }

            var price = 0m;
            if (string.IsNullOrWhiteSpace(row.Price) || !DealFields.TryParseMoney(row.Price, out price) || price < 0 || price > MaxMoney)
            {
                errors.Set(prefix + nameof(LineItemInput.Price), L["Enter a price like 1 500,00."]);
            }

            var discount = 0m;
            if (!string.IsNullOrWhiteSpace(row.Discount) && (!DealFields.TryParseMoney(row.Discount.Trim().TrimEnd('%'), out discount) || discount is < 0 or > 100))
            {
                errors.Set(prefix + nameof(LineItemInput.Discount), L["Enter a discount from 0 to 100 %."]);
            }

            decimal? vat = null;
            if (!string.IsNullOrWhiteSpace(row.Vat))
            {
                if (DealFields.TryParseMoney(row.Vat.Trim().TrimEnd('%'), out var rate) && rate is >= 0 and <= 100)
                {
                    vat = rate;
                }
                else
                {
                    errors.Set(prefix + nameof(LineItemInput.Vat), L["Enter a VAT rate from 0 to 100 %."]);
                }
            }

            var unit = row.Unit?.Trim();
            items.Add(new LineItem
            {
                Id = Guid.CreateVersion7(),
                DealId = dealId,
                Position = items.Count,
                Name = Cut(name, 300),
                Quantity = Math.Round(quantity, 3, MidpointRounding.AwayFromZero),
                Unit = string.IsNullOrEmpty(unit) ? null : Cut(unit, 20),
                Price = Math.Round(price, 2, MidpointRounding.AwayFromZero),
                DiscountPercent = Math.Round(discount, 2, MidpointRounding.AwayFromZero),
                VatRate = vat is { } v ? Math.Round(v, 2, MidpointRounding.AwayFromZero) : null,
            });
        }

        if (errors.Count == 0 && items.Sum(i => i.Total) > MaxMoney)
        {
            errors.Set("Items", L["The line items add up to more than the largest amount a deal can have."]);
        }

        return items;
    }

    /// <summary>
    /// New rows replace the old ones. They are added to the context explicitly: found only through the
    /// navigation, rows with a key already set would be taken for existing ones and updated.
    /// </summary>
    private void ReplaceItems(Deal deal, List<LineItem> items, bool isNew)
    {
        if (!isNew)
        {
            foreach (var old in deal.Items.ToList())
            {
                db.LineItems.Remove(old);
            }
        }

        deal.Items.Clear();
        foreach (var item in items)
        {
            item.DealId = deal.Id;
            deal.Items.Add(item);
            if (!isNew)
            {
                db.LineItems.Add(item);
            }
        }
    }

    private void ApplyChoice<T>(string? text, bool partial, string field, Action<T?> set, DealInputErrors errors)
        where T : struct, Enum
    {
        if (partial && text is null)
        {
            return;
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            set(null);
        }
        else if (Enum.TryParse<T>(text.Trim(), ignoreCase: true, out var value) && Enum.IsDefined(value) && !int.TryParse(text, CultureInfo.InvariantCulture, out _))
        {
            set(value);
        }
        else
        {
            errors.Set(field, L["Choose a value from the list."]);
        }
    }

    /// <summary>The deal's fields as the "changed" timeline entry compares them, by their labels, custom fields included.</summary>
    private Dictionary<string, string?> Snapshot(Deal deal, ICustomFieldSet set)
    {
        var snapshot = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            [L["Title"]] = deal.Title,
            [L["Company"]] = deal.CompanyName,
            [L["Contact"]] = deal.ContactName,
            [L["Lead"]] = deal.LeadName,
            [L["Amount"]] = MoneyText.Format(deal.Amount, deal.Currency),
            [L["Expected close"]] = deal.ExpectedClose?.ToString("d", CultureInfo.CurrentCulture),
            [L["Probability"]] = deal.Probability is { } p ? p + " %" : null,
            [L["Source"]] = deal.Source is { } source ? L[DealTexts.Source(source)].Value : null,
            [L["Payment form"]] = deal.PaymentForm is { } payment ? L[DealTexts.Payment(payment)].Value : null,
            [L["Delivery"]] = deal.Delivery is { } delivery ? L[DealTexts.Delivery(delivery)].Value : null,
            [L["Line items"]] = string.Join("; ", deal.Items.OrderBy(i => i.Position).Select(i => $"{i.Name} × {i.Quantity:0.###}{(i.Unit is null ? "" : " " + i.Unit)} = {MoneyText.Format(i.Total, deal.Currency)}")),
        };
        foreach (var field in set.Fields)
        {
            snapshot[field.Label] = set.Text(field, deal.CustomFields);
        }

        return snapshot;
    }

    private static string Show(string? value) => string.IsNullOrEmpty(value) ? "—" : value.Replace('\n', ',');

    private static string Cut(string text, int length) => text.Length <= length ? text : text[..length];

    [GeneratedRegex("^[A-Z]{3}$", RegexOptions.CultureInvariant)]
    private static partial Regex CurrencyCode();
}

using System.Globalization;
using System.Text.RegularExpressions;
using Crm.Clients.Contracts;
using Crm.CustomFields.Contracts;
using Crm.Deals.Access;
using Crm.Deals.Data;
using Crm.Deals.Domain;
using Crm.Identity.Contracts;
using Crm.SharedKernel.Access;
using Crm.SharedKernel.Text;
using Microsoft.Extensions.Localization;

namespace Crm.Deals.Areas.Deals.Features.Deals;

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
/// What a channel (the deal form, later the API) wants a deal to be, as typed text. With
/// <see cref="DealEditor.ApplyAsync"/>'s <c>partial</c> a null value keeps the deal's current one
/// (an API patch); otherwise null means empty (a form sends every field).
/// </summary>
internal sealed class DealInput
{
    public string? Title { get; set; }

    public Guid? CompanyId { get; set; }

    /// <summary>The picker's text when no suggestion was chosen: taken when exactly one company has that name.</summary>
    public string? CompanyText { get; set; }

    public Guid? ContactId { get; set; }

    public string? ContactText { get; set; }

    public Guid? LeadId { get; set; }

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

/// <summary>The owners a user may give deals to: everyone in the scope of the action (create or edit).</summary>
internal sealed class DealOwners(DealAccess access, IUserDirectory users, ICurrentUser currentUser)
{
    public async Task<IReadOnlyList<UserSummary>> ChoicesAsync(AccessAction action, CancellationToken cancellationToken)
    {
        var filter = await access.FilterAsync(action, cancellationToken);
        return filter.Scope switch
        {
            AccessScope.All => await users.GetActiveUsersAsync(cancellationToken: cancellationToken),
            AccessScope.Department => (await users.GetActiveUsersAsync(filter.DepartmentIds, cancellationToken))
                .Concat(await users.FindUserAsync(currentUser.Id, cancellationToken) is { } self ? [self] : [])
                .DistinctBy(u => u.Id)
                .OrderBy(u => u.FullName, StringComparer.CurrentCulture)
                .ToList(),
            AccessScope.Own => await users.FindUserAsync(currentUser.Id, cancellationToken) is { } me ? [me] : [],
            _ => [],
        };
    }
}

/// <summary>
/// The one place that puts an input on a deal and checks it, for every channel that creates or edits
/// deals (the form now, the API and imports later): title, clients (re-checked through the Clients
/// contract, their names copied), money, terms, owner within the user's scope, line items (whose total
/// becomes the amount), custom fields (global and the pipeline's), and the fields the deal's stage
/// requires. Nothing is saved here: the caller saves when <see cref="DealInputErrors"/> is empty.
/// </summary>
internal sealed partial class DealEditor(
    DealsDbContext db,
    IClientDirectory clients,
    ICustomFields customFields,
    DealOwners owners,
    ICurrentUser currentUser,
    IStringLocalizer<DealsStrings> strings)
{
    public const int MaxItems = 200;
    private const decimal MaxMoney = 999_999_999_999m;

    /// <summary>Named L so the translation check finds the keys.</summary>
    private IStringLocalizer<DealsStrings> L => strings;

    public Task<ICustomFieldSet> CustomFieldsAsync(Guid pipelineId, CancellationToken cancellationToken) =>
        customFields.ForAsync(EntityKinds.Deal, pipelineId.ToString(), cancellationToken);

    /// <param name="deal">A new deal (not yet added) or a tracked one being edited.</param>
    /// <param name="stage">The stage the deal will be in: its required fields are checked.</param>
    /// <param name="isNew">Owners come from the create scope, else the edit scope.</param>
    public async Task<DealInputErrors> ApplyAsync(Deal deal, DealInput input, Pipeline pipeline, Stage stage, bool isNew, bool partial, CancellationToken cancellationToken)
    {
        var errors = new DealInputErrors();

        if (!partial || input.Title is not null)
        {
            var title = input.Title?.Trim() ?? "";
            if (title.Length == 0)
            {
                errors.Set(nameof(DealInput.Title), L["Enter the deal's title."]);
            }
            else if (title.Length > 300)
            {
                errors.Set(nameof(DealInput.Title), L["At most {0} characters.", 300]);
            }

            deal.Title = title.Length > 300 ? title[..300] : title;
        }

        await ApplyClientAsync(deal, ClientKind.Company, input.CompanyId, input.CompanyText, partial, errors, cancellationToken);
        await ApplyClientAsync(deal, ClientKind.Contact, input.ContactId, input.ContactText, partial, errors, cancellationToken);
        if (input.LeadId is { } leadId && leadId != deal.LeadId)
        {
            if (await clients.FindAsync(ClientKind.Lead, leadId, cancellationToken) is { } lead)
            {
                deal.LeadId = lead.Id;
                deal.LeadName = Cut(lead.Name, 300);
            }
            else
            {
                errors.Set(nameof(DealInput.LeadId), L["The lead was not found."]);
            }
        }

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

        RequireStageFields(deal, stage, set, items?.Count ?? deal.Items.Count, errors);

        if (errors.Count == 0 && items is not null)
        {
            ReplaceItems(deal, items, isNew);
        }

        return errors;
    }

    /// <summary>The form field a stage's required field is typed in.</summary>
    public static string FieldOf(string requiredKey) => requiredKey switch
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

    /// <summary>The stage's required fields hold on the form too: a deal is never created or left in a stage without them.</summary>
    private void RequireStageFields(Deal deal, Stage stage, ICustomFieldSet set, int itemCount, DealInputErrors errors)
    {
        foreach (var key in stage.RequiredFields)
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

    private async Task ApplyClientAsync(Deal deal, ClientKind kind, Guid? id, string? text, bool partial, DealInputErrors errors, CancellationToken cancellationToken)
    {
        var field = kind == ClientKind.Company ? nameof(DealInput.CompanyId) : nameof(DealInput.ContactId);
        var current = kind == ClientKind.Company ? deal.CompanyId : deal.ContactId;
        if (partial && id is null && text is null)
        {
            return;
        }

        if (id is null && !string.IsNullOrWhiteSpace(text))
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
            errors.Set(field, kind == ClientKind.Company ? L["Choose a company from the suggestions."] : L["Choose a contact from the suggestions."]);
            return;
        }

        Link(deal, kind, client);
    }

    private static void Link(Deal deal, ClientKind kind, ClientSummary? client)
    {
        if (kind == ClientKind.Company)
        {
            deal.CompanyId = client?.Id;
            deal.CompanyName = client is null ? null : Cut(client.Name, 300);
        }
        else
        {
            deal.ContactId = client?.Id;
            deal.ContactName = client is null ? null : Cut(client.Name, 300);
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

    private static string Cut(string text, int length) => text.Length <= length ? text : text[..length];

    [GeneratedRegex("^[A-Z]{3}$", RegexOptions.CultureInvariant)]
    private static partial Regex CurrencyCode();
}

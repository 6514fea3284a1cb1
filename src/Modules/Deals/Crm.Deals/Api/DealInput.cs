using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Crm.Clients.Contracts;
using Crm.CustomFields.Contracts;
using Crm.Deals.Domain;
using Crm.Deals.Moving;
using Crm.Deals.Pipelines;
using Crm.SharedKernel.Access;
using Microsoft.Extensions.Localization;

namespace Crm.Deals.Api;

/// <summary>A line of <see cref="DealInput.Items"/>.</summary>
internal sealed class LineItemInput
{
    public string? Name { get; set; }

    public decimal? Quantity { get; set; }

    public string? Unit { get; set; }

    public decimal? Price { get; set; }

    public decimal? DiscountPercent { get; set; }

    public decimal? VatRate { get; set; }
}

/// <summary>
/// A deal's fields as a caller sends them (the API's JSON body; a form can fill it the same way). Every
/// field is optional in the type so an update can send only some: <see cref="Sent"/> says which were
/// present, so "expectedClose": null clears the date while leaving it out keeps it. Choices and dates
/// are text, so a wrong one gets a message next to its field instead of a failed binding.
/// </summary>
internal sealed class DealInput
{
    public string? Title { get; set; }

    public Guid? PipelineId { get; set; }

    public Guid? StageId { get; set; }

    public Guid? CompanyId { get; set; }

    public Guid? ContactId { get; set; }

    public Guid? LeadId { get; set; }

    public decimal? Amount { get; set; }

    public string? Currency { get; set; }

    /// <summary>"2026-12-31" (or as people type it: "31.12.2026").</summary>
    public string? ExpectedClose { get; set; }

    public Guid? OwnerId { get; set; }

    public int? Probability { get; set; }

    /// <summary>A <see cref="DealSource"/> name.</summary>
    public string? Source { get; set; }

    public string? PaymentForm { get; set; }

    public string? Delivery { get; set; }

    /// <summary>Replaces all line items when sent; their total becomes the amount.</summary>
    public List<LineItemInput>? Items { get; set; }

    /// <summary>Custom field values by key: strings, numbers, booleans or arrays (a multi-list).</summary>
    public Dictionary<string, JsonElement>? CustomFields { get; set; }

    /// <summary>The version the caller last saw (or the If-Match header): a stale one is a conflict.</summary>
    public uint? Version { get; set; }

    /// <summary>The names of the fields the body carried (case-insensitive); null: all of them count (a form, a new deal).</summary>
    [JsonIgnore]
    public IReadOnlySet<string>? Sent { get; set; }

    public bool Has(string name) => Sent is null || Sent.Contains(name);

    /// <summary>The body as an input; null with the field and its message when a value is of the wrong type.</summary>
    public static DealInput? FromJson(JsonElement body, JsonSerializerOptions options, out (string Field, string Path)? problem)
    {
        problem = null;
        if (body.ValueKind != JsonValueKind.Object)
        {
            problem = ("", "$");
            return null;
        }

        try
        {
            var input = body.Deserialize<DealInput>(options) ?? new DealInput();
            input.Sent = body.EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
            return input;
        }
        catch (JsonException exception)
        {
            var path = exception.Path ?? "$";
            var field = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;
            problem = (field, path);
            return null;
        }
    }
}

/// <summary>Messages by field, as a ValidationProblem's "errors" carries them ("title", "items[0].price", "customFields.region").</summary>
internal sealed class InputProblems
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool IsEmpty => _errors.Count == 0;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var messages))
        {
            _errors[field] = messages = [];
        }

        messages.Add(message);
    }

    public bool Contains(string field) => _errors.ContainsKey(field);

    public Dictionary<string, string[]> ToDictionary() => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
}

/// <summary>
/// Checks a <see cref="DealInput"/> and puts it on a deal: the title, the client (looked up through the
/// Clients contract, within the caller's reach, its name copied), money, dates, choices, line items,
/// custom fields of the deal's pipeline, the owner (within the caller's reach for the action), and the
/// fields the deal's stage requires. The stage itself is chosen only for a new deal; later it changes
/// only through the mover. Messages are in the user's language, keyed by the JSON field names.
/// </summary>
internal sealed class DealInputs(
    PipelineCatalog catalog,
    IClientDirectory clients,
    DealOwnerChoices owners,
    ICustomFields customFields,
    ICurrentUser currentUser,
    IStringLocalizer<DealsStrings> L)
{
    public const int TitleLength = 300;
    public const int MaxItems = 200;
    public const decimal MaxAmount = 999_999_999_999m;

    /// <summary>For a new deal: its pipeline and starting stage (the first ordinary open stage unless one is chosen), then every field.</summary>
    public async Task<(Stage? Stage, InputProblems Errors)> ApplyNewAsync(DealInput input, Deal deal, CancellationToken cancellationToken)
    {
        var errors = new InputProblems();
        var pipelines = await catalog.PipelinesAsync(cancellationToken);
        Pipeline? pipeline = null;
        Stage? stage = null;
        if (input.PipelineId is { } pipelineId)
        {
            pipeline = pipelines.FirstOrDefault(p => p.Id == pipelineId);
            if (pipeline is null)
            {
                errors.Add("pipelineId", L["There is no such pipeline."]);
            }
        }

        if (input.StageId is { } stageId)
        {
            if (await catalog.FindStageAsync(stageId, cancellationToken) is not var (stagePipeline, found) || (pipeline is not null && stagePipeline.Id != pipeline.Id))
            {
                errors.Add("stageId", L["Choose a stage of the deal's pipeline."]);
            }
            else if (found.IsClosed)
            {
                errors.Add("stageId", L["A new deal starts in an open stage."]);
            }
            else
            {
                pipeline = stagePipeline;
                stage = found;
            }
        }

        pipeline ??= input.PipelineId is null && input.StageId is null ? pipelines.FirstOrDefault(p => p.Stages.Count > 0) : null;
        if (pipeline is not null && stage is null && !errors.Contains("stageId"))
        {
            stage = pipeline.Stages.Count > 0 ? DealCreation.FirstStage(pipeline) : null;
        }

        if (stage is null && errors.IsEmpty)
        {
            errors.Add("pipelineId", L["There is no such pipeline."]);
        }

        deal.Currency = pipeline?.Currency ?? deal.Currency;
        await ApplyFieldsAsync(input, deal, errors, cancellationToken);
        await ApplyOwnerAsync(input.OwnerId ?? currentUser.Id, deal, AccessAction.Create, errors, cancellationToken);
        if (pipeline is not null)
        {
            var set = await customFields.ForAsync(EntityKinds.Deal, pipeline.Id.ToString(), cancellationToken);
            ApplyCustom(set, input.CustomFields ?? [], deal, partial: false, errors);
            if (stage is not null)
            {
                Require(stage, set, deal, _ => true, errors);
            }
        }

        return (errors.IsEmpty ? stage : null, errors);
    }

    /// <summary>For an existing deal: only the fields sent. The stage and pipeline change only by a move.</summary>
    public async Task<InputProblems> ApplyChangesAsync(DealInput input, Deal deal, CancellationToken cancellationToken)
    {
        var errors = new InputProblems();
        foreach (var field in new[] { "stageId", "pipelineId" })
        {
            if (input.Sent?.Contains(field) == true)
            {
                errors.Add(field, L["The stage changes only by a move: POST /api/v1/deals/{0}/move.", deal.Id]);
            }
        }

        await ApplyFieldsAsync(input, deal, errors, cancellationToken);
        if (input.Has("ownerId"))
        {
            if (input.OwnerId is { } owner)
            {
                if (owner != deal.OwnerId)
                {
                    await ApplyOwnerAsync(owner, deal, AccessAction.Edit, errors, cancellationToken);
                }
            }
            else
            {
                errors.Add("ownerId", L["Choose a responsible user from the list."]);
            }
        }

        var set = await customFields.ForAsync(EntityKinds.Deal, deal.PipelineId.ToString(), cancellationToken);
        if (input.Has("customFields") && input.CustomFields is { } custom)
        {
            ApplyCustom(set, custom, deal, partial: true, errors);
        }

        // What the current stage requires may not be emptied, but a field the caller left alone is not their problem.
        if (await catalog.FindStageAsync(deal.StageId, cancellationToken) is var (_, stage))
        {
            Require(stage, set, deal, key => input.Has(JsonName(key)) || (key.StartsWith(RequirableField.CustomPrefix, StringComparison.Ordinal) && input.CustomFields?.ContainsKey(key[RequirableField.CustomPrefix.Length..]) == true), errors);
        }

        return errors;
    }

    private async Task ApplyFieldsAsync(DealInput input, Deal deal, InputProblems errors, CancellationToken cancellationToken)
    {
        if (input.Has("title"))
        {
            var title = input.Title?.Trim() ?? "";
            if (title.Length == 0)
            {
                errors.Add("title", L["Enter the deal's title."]);
            }
            else if (title.Length > TitleLength)
            {
                errors.Add("title", L["At most {0} characters.", TitleLength]);
            }
            else
            {
                deal.Title = title;
            }
        }

        if (input.Has("companyId") && input.CompanyId != deal.CompanyId)
        {
            var (id, name) = await ClientAsync(ClientKind.Company, input.CompanyId, "companyId", L["There is no such company, or you may not see it."], errors, cancellationToken);
            (deal.CompanyId, deal.CompanyName) = (id, name);
        }

        if (input.Has("contactId") && input.ContactId != deal.ContactId)
        {
            var (id, name) = await ClientAsync(ClientKind.Contact, input.ContactId, "contactId", L["There is no such contact, or you may not see it."], errors, cancellationToken);
            (deal.ContactId, deal.ContactName) = (id, name);
        }

        if (input.Has("leadId") && input.LeadId != deal.LeadId)
        {
            var (id, name) = await ClientAsync(ClientKind.Lead, input.LeadId, "leadId", L["There is no such lead, or you may not see it."], errors, cancellationToken);
            (deal.LeadId, deal.LeadName) = (id, name);
        }

        if (input.Has("items") && input.Items is { } items)
        {
            ApplyItems(items, deal, errors);
        }

        if (input.Has("amount") && input.Amount is { } amount)
        {
            if (deal.Items.Count > 0)
            {
                if (Math.Round(amount, 2) != deal.Items.Sum(i => i.Total))
                {
                    errors.Add("amount", L["The amount is the total of the line items; change the items instead."]);
                }
            }
            else if (amount < 0 || amount > MaxAmount)
            {
                errors.Add("amount", L["Enter an amount from 0 to {0}.", MaxAmount.ToString("N0", CultureInfo.CurrentCulture)]);
            }
            else
            {
                deal.Amount = Math.Round(amount, 2);
            }
        }

        deal.RecalculateAmount();

        if (input.Has("currency") && (input.Currency is not null || input.Sent is not null))
        {
            var currency = input.Currency?.Trim().ToUpperInvariant() ?? "";
            if (currency.Length != 3 || !currency.All(c => c is >= 'A' and <= 'Z'))
            {
                errors.Add("currency", L["Enter a currency as a three-letter code such as RUB."]);
            }
            else
            {
                deal.Currency = currency;
            }
        }

        if (input.Has("expectedClose"))
        {
            if (string.IsNullOrWhiteSpace(input.ExpectedClose))
            {
                deal.ExpectedClose = null;
            }
            else if (Crm.SharedKernel.Text.TypedDate.Parse(input.ExpectedClose) is { } date)
            {
                deal.ExpectedClose = date;
            }
            else
            {
                errors.Add("expectedClose", L["Enter a date like 31.12.2026."]);
            }
        }

        if (input.Has("probability"))
        {
            if (input.Probability is { } probability and (< 0 or > 100))
            {
                errors.Add("probability", L["Enter a probability from 0 to 100."]);
            }
            else
            {
                deal.Probability = input.Probability;
            }
        }

        if (input.Has("source"))
        {
            deal.Source = Choice<DealSource>(input.Source, "source", deal.Source, errors);
        }

        if (input.Has("paymentForm"))
        {
            deal.PaymentForm = Choice<PaymentForm>(input.PaymentForm, "paymentForm", deal.PaymentForm, errors);
        }

        if (input.Has("delivery"))
        {
            deal.Delivery = Choice<DeliveryKind>(input.Delivery, "delivery", deal.Delivery, errors);
        }
    }

    private T? Choice<T>(string? text, string field, T? current, InputProblems errors)
        where T : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        // Names only: Enum.TryParse would take "7" for a value nobody defined.
        if (!int.TryParse(text, out _) && Enum.TryParse<T>(text.Trim(), ignoreCase: true, out var value) && Enum.IsDefined(value))
        {
            return value;
        }

        errors.Add(field, L["Choose a value from the list."] + " " + string.Join(", ", Enum.GetNames<T>()));
        return current;
    }

    private async Task<(Guid? Id, string? Name)> ClientAsync(ClientKind kind, Guid? id, string field, string notFound, InputProblems errors, CancellationToken cancellationToken)
    {
        if (id is not { } clientId)
        {
            return (null, null);
        }

        var client = await clients.FindAsync(kind, clientId, cancellationToken);
        if (client is null)
        {
            errors.Add(field, notFound);
            return (null, null);
        }

        return (client.Id, client.Name.Length > 300 ? client.Name[..300] : client.Name);
    }

    private void ApplyItems(List<LineItemInput> items, Deal deal, InputProblems errors)
    {
        if (items.Count > MaxItems)
        {
            errors.Add("items", L["At most {0} items.", MaxItems]);
            return;
        }

        var lines = new List<LineItem>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var prefix = $"items[{i}].";
            var name = item?.Name?.Trim() ?? "";
            if (name.Length == 0 || name.Length > 300)
            {
                errors.Add(prefix + "name", L["Name the item (up to 300 characters)."]);
            }

            var quantity = item?.Quantity ?? 1;
            if (quantity <= 0 || quantity > 1_000_000_000)
            {
                errors.Add(prefix + "quantity", L["Enter a quantity greater than zero."]);
            }

            var price = item?.Price ?? 0;
            if (price < 0 || price > MaxAmount)
            {
                errors.Add(prefix + "price", L["Enter a price of zero or more."]);
            }

            var discount = item?.DiscountPercent ?? 0;
            if (discount is < 0 or > 100)
            {
                errors.Add(prefix + "discountPercent", L["Enter a percentage from 0 to 100."]);
            }

            if (item?.VatRate is < 0 or > 100)
            {
                errors.Add(prefix + "vatRate", L["Enter a percentage from 0 to 100."]);
            }

            var unit = item?.Unit?.Trim();
            if (unit?.Length > 20)
            {
                errors.Add(prefix + "unit", L["At most {0} characters.", 20]);
            }

            lines.Add(new LineItem
            {
                Id = Guid.CreateVersion7(),
                DealId = deal.Id,
                Position = i,
                Name = name,
                Quantity = Math.Round(quantity, 3),
                Unit = string.IsNullOrEmpty(unit) ? null : unit,
                Price = Math.Round(price, 2),
                DiscountPercent = Math.Round(discount, 2),
                VatRate = item?.VatRate is { } vat ? Math.Round(vat, 2) : null,
            });
        }

        if (lines.Sum(l => l.Total) > MaxAmount)
        {
            errors.Add("items", L["Enter an amount from 0 to {0}.", MaxAmount.ToString("N0", CultureInfo.CurrentCulture)]);
        }

        // No items left: the amount is typed again, starting from what the items added up to.
        deal.Items.Clear();
        deal.Items.AddRange(lines);
    }

    private async Task ApplyOwnerAsync(Guid ownerId, Deal deal, AccessAction action, InputProblems errors, CancellationToken cancellationToken)
    {
        var owner = (await owners.ForAsync(action, cancellationToken)).FirstOrDefault(u => u.Id == ownerId);
        if (owner is null)
        {
            errors.Add("ownerId", L["Choose a responsible user from the list."]);
            return;
        }

        deal.OwnerId = owner.Id;
        deal.OwnerDepartmentId = owner.DepartmentId;
    }

    private static void ApplyCustom(ICustomFieldSet set, Dictionary<string, JsonElement> body, Deal deal, bool partial, InputProblems errors)
    {
        var typed = body.ToDictionary(p => p.Key, p => p.Value.ValueKind switch
        {
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            JsonValueKind.Array => string.Join("\n", p.Value.EnumerateArray().Select(v => v.ToString())),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => p.Value.ToString(),
        }, StringComparer.Ordinal);
        var messages = new Dictionary<string, string>(StringComparer.Ordinal);
        var values = set.Parse(typed, deal.CustomFields, partial, messages);
        foreach (var (key, message) in messages)
        {
            errors.Add("customFields." + key, message);
        }

        if (messages.Count == 0)
        {
            deal.CustomFields = values;
        }
    }

    /// <summary>The stage's required fields that are empty, each as a message on its field (for the keys <paramref name="check"/> selects).</summary>
    private void Require(Stage stage, ICustomFieldSet set, Deal deal, Func<string, bool> check, InputProblems errors)
    {
        foreach (var key in stage.RequiredFields.Where(check))
        {
            var empty = key.StartsWith(RequirableField.CustomPrefix, StringComparison.Ordinal)
                ? set.Fields.FirstOrDefault(f => RequirableField.CustomPrefix + f.Key == key) is { } field && set.Text(field, deal.CustomFields) is null
                : DealFields.Find(key) is { } standard && !standard.IsFilled(deal);
            var name = JsonName(key);
            if (empty && !errors.Contains(name))
            {
                errors.Add(name, L["The stage «{0}» requires this field.", stage.Name]);
            }
        }
    }

    /// <summary>A required field's key ("company", "cf:region") as the JSON names it ("companyId", "customFields.region").</summary>
    public static string JsonName(string key) => key switch
    {
        "company" => "companyId",
        "contact" => "contactId",
        _ when key.StartsWith(RequirableField.CustomPrefix, StringComparison.Ordinal) => "customFields." + key[RequirableField.CustomPrefix.Length..],
        _ => key,
    };
}

using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Crm.Deals.Domain;
using Crm.Deals.Editing;

namespace Crm.Deals.Api;

/// <summary>A line of <see cref="DealBody.Items"/>.</summary>
internal sealed class LineItemBody
{
    public string? Name { get; set; }

    public decimal? Quantity { get; set; }

    public string? Unit { get; set; }

    public decimal? Price { get; set; }

    public decimal? DiscountPercent { get; set; }

    public decimal? VatRate { get; set; }
}

/// <summary>
/// A deal's fields as the API's JSON body carries them. Every field is optional in the type so an
/// update can send only some: <see cref="Sent"/> says which were present, so "expectedClose": null
/// clears the date while leaving it out keeps it. Numbers are JSON numbers (a string there is a wrong
/// type); choices and dates are text. <see cref="ToInput"/> hands it to the <see cref="DealEditor"/>
/// the form uses too, and <see cref="FieldName"/> names the editor's messages as the body does.
/// </summary>
internal sealed class DealBody
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
    public List<LineItemBody?>? Items { get; set; }

    /// <summary>Custom field values by key: strings, numbers, booleans or arrays (a multi-list).</summary>
    public Dictionary<string, JsonElement>? CustomFields { get; set; }

    /// <summary>The version the caller last saw (or the If-Match header): a stale one is a conflict.</summary>
    public uint? Version { get; set; }

    /// <summary>The names of the fields the body carried (case-insensitive).</summary>
    [JsonIgnore]
    public IReadOnlySet<string> Sent { get; private set; } = new HashSet<string>();

    public bool Has(string name) => Sent.Contains(name);

    /// <summary>The body as an input; null with the field's path when a value is of the wrong type ("" when the body is no object).</summary>
    public static DealBody? FromJson(JsonElement body, JsonSerializerOptions options, out string? problem)
    {
        problem = null;
        if (body.ValueKind != JsonValueKind.Object)
        {
            problem = "";
            return null;
        }

        try
        {
            var input = body.Deserialize<DealBody>(options) ?? new DealBody();
            input.Sent = body.EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
            return input;
        }
        catch (JsonException exception)
        {
            var path = exception.Path ?? "$";
            problem = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;
            return null;
        }
    }

    /// <summary>
    /// The editor's input. For an update (<paramref name="partial"/>) a field left out stays null, which
    /// keeps the deal's value, and one sent as null becomes empty text, which clears it; for a new deal
    /// everything counts, as on the form.
    /// </summary>
    public DealInput ToInput(bool partial)
    {
        string? Text(string name, string? value) => partial && !Has(name) ? null : value ?? "";
        string? Number(string name, IFormattable? value) => Text(name, value?.ToString(null, CultureInfo.InvariantCulture));
        string? Unlink(string name, Guid? id) => id is null && (!partial || Has(name)) ? "" : null;
        return new DealInput
        {
            Title = Text("title", Title),
            PipelineId = PipelineId,
            StageId = StageId,
            CompanyId = CompanyId,
            CompanyText = Unlink("companyId", CompanyId),
            ContactId = ContactId,
            ContactText = Unlink("contactId", ContactId),
            LeadId = LeadId,
            LeadText = Unlink("leadId", LeadId),
            Amount = Number("amount", Amount),
            Currency = partial && !Has("currency") ? null : Currency,
            ExpectedClose = Text("expectedClose", ExpectedClose),
            OwnerId = OwnerId,
            Probability = Number("probability", Probability),
            Source = Text("source", Source),
            PaymentForm = Text("paymentForm", PaymentForm),
            Delivery = Text("delivery", Delivery),
            Items = partial && !Has("items") ? null : (Items ?? []).Select(i => new LineItemInput
            {
                Name = i?.Name ?? "",
                Quantity = i?.Quantity?.ToString(CultureInfo.InvariantCulture),
                Unit = i?.Unit,
                Price = i?.Price?.ToString(CultureInfo.InvariantCulture),
                Discount = i?.DiscountPercent?.ToString(CultureInfo.InvariantCulture),
                Vat = i?.VatRate?.ToString(CultureInfo.InvariantCulture),
            }).ToList(),
            Custom = partial && !Has("customFields") ? null : (CustomFields ?? []).ToDictionary(p => p.Key, p => CustomText(p.Value), StringComparer.Ordinal),
        };
    }

    /// <summary>
    /// An editor field as the body names it: "Title" → "title", "Items[0].Discount" →
    /// "items[0].discountPercent", "CustomFields.region" → "customFields.region" (the key as defined).
    /// </summary>
    public static string FieldName(string field)
    {
        if (field.StartsWith(DealInputErrors.CustomPrefix, StringComparison.Ordinal))
        {
            return "customFields." + field[DealInputErrors.CustomPrefix.Length..];
        }

        return string.Join('.', field.Split('.').Select(part => part switch
        {
            nameof(LineItemInput.Discount) => "discountPercent",
            nameof(LineItemInput.Vat) => "vatRate",
            _ => JsonNamingPolicy.CamelCase.ConvertName(part),
        }));
    }

    /// <summary>A custom field's JSON value as the text the editor parses: a multi-list one per line.</summary>
    private static string? CustomText(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.Array => string.Join("\n", value.EnumerateArray().Select(v => v.ToString())),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => value.ToString(),
    };
}

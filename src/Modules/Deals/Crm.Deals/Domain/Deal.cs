namespace Crm.Deals.Domain;

internal enum DealSource
{
    Website,
    Call,
    Email,
    Referral,
    Exhibition,
    Advertising,
    Repeat,
    Other,
}

internal enum PaymentForm
{
    BankTransfer,
    Card,
    Cash,
    Installments,
}

internal enum DeliveryKind
{
    None,
    Pickup,
    Courier,
    TransportCompany,
}

/// <summary>
/// A deal: what is sold to whom, for how much, and where in a pipeline it stands. The client lives in
/// the Clients module: the deal keeps its ids and a copy of the names it shows, refreshed by Clients'
/// events. The owner's department is copied too, so department scopes need no join into Identity.
/// </summary>
internal sealed class Deal
{
    public Guid Id { get; set; }

    /// <summary>With <see cref="Number"/>: "2026-00042", a per-year sequence (gaps allowed, never reused).</summary>
    public int Year { get; set; }

    public int Number { get; set; }

    public string Title { get; set; } = "";

    public Guid PipelineId { get; set; }

    public Guid StageId { get; set; }

    /// <summary>When the deal entered its current stage: days in stage and the stalled mark read it.</summary>
    public DateTimeOffset StageEnteredAt { get; set; }

    public Guid? CompanyId { get; set; }

    public string? CompanyName { get; set; }

    public Guid? ContactId { get; set; }

    public string? ContactName { get; set; }

    public Guid? LeadId { get; set; }

    public string? LeadName { get; set; }

    /// <summary>The total of the line items when there are any; typed by hand otherwise.</summary>
    public decimal Amount { get; set; }

    public string Currency { get; set; } = "RUB";

    public DateOnly? ExpectedClose { get; set; }

    public Guid OwnerId { get; set; }

    public Guid OwnerDepartmentId { get; set; }

    /// <summary>The deal's own estimate; null follows the stage's probability.</summary>
    public int? Probability { get; set; }

    public DealSource? Source { get; set; }

    public PaymentForm? PaymentForm { get; set; }

    public DeliveryKind? Delivery { get; set; }

    public Guid? LossReasonId { get; set; }

    public string? LossComment { get; set; }

    /// <summary>Set when the deal enters a won or lost stage, cleared when it is reopened.</summary>
    public DateTimeOffset? ClosedAt { get; set; }

    /// <summary>Custom field values (jsonb): the global deal fields and the pipeline's own. See Crm.CustomFields.</summary>
    public System.Text.Json.JsonDocument? CustomFields { get; set; }

    /// <summary>The earliest due time of the deal's open tasks (null: none), kept by the Tasks module's events.</summary>
    public DateTimeOffset? NextTaskAt { get; set; }

    /// <summary>The latest task done on the deal, kept by the Tasks module's events.</summary>
    public DateTimeOffset? LastActivityAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset? DeletedAt { get; set; }

    /// <summary>PostgreSQL xmin: two people saving or moving the same deal get a conflict, never a silent overwrite.</summary>
    public uint Version { get; set; }

    public List<LineItem> Items { get; set; } = [];

    public string DisplayNumber => FormatNumber(Year, Number);

    /// <summary>The client's name as the deal shows it: the company, else the contact, else the lead.</summary>
    public string? ClientName => CompanyName ?? ContactName ?? LeadName;

    public static string FormatNumber(int year, int number) => $"{year}-{number:D5}";

    /// <summary>Sets the amount from the line items when there are any (VAT is included in the prices).</summary>
    public void RecalculateAmount()
    {
        if (Items.Count > 0)
        {
            Amount = Items.Sum(item => item.Total);
        }
    }
}

/// <summary>A product or service line: its total (VAT included in the price) adds up to the deal's amount.</summary>
internal sealed class LineItem
{
    public Guid Id { get; set; }

    public Guid DealId { get; set; }

    public int Position { get; set; }

    public string Name { get; set; } = "";

    public decimal Quantity { get; set; } = 1;

    /// <summary>"pcs", "h", "m²"… as typed.</summary>
    public string? Unit { get; set; }

    public decimal Price { get; set; }

    public decimal DiscountPercent { get; set; }

    /// <summary>VAT rate in percent included in the price (0, 10, 20…); null: not subject to VAT.</summary>
    public decimal? VatRate { get; set; }

    public decimal Total => Math.Round(Quantity * Price * (100m - DiscountPercent) / 100m, 2, MidpointRounding.AwayFromZero);

    public decimal Vat => VatRate is { } rate and > 0 ? Math.Round(Total * rate / (100m + rate), 2, MidpointRounding.AwayFromZero) : 0m;
}

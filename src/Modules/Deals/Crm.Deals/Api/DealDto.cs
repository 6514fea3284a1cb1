using System.Text.Json;
using Crm.Deals.Domain;

namespace Crm.Deals.Api;

internal sealed record LineItemDto(Guid Id, int Position, string Name, decimal Quantity, string? Unit, decimal Price, decimal DiscountPercent, decimal? VatRate, decimal Total, decimal Vat)
{
    public static LineItemDto From(LineItem i) => new(i.Id, i.Position, i.Name, i.Quantity, i.Unit, i.Price, i.DiscountPercent, i.VatRate, i.Total, i.Vat);
}

/// <summary>
/// A deal as the API shows it. <see cref="Version"/> (PostgreSQL xmin) goes back in updates and moves
/// (field "version" or If-Match); <see cref="Stalled"/> and <see cref="DaysInStage"/> are computed at
/// read time. <see cref="Items"/> is left out (null) in lists, which read no line items.
/// </summary>
internal sealed record DealDto(
    Guid Id,
    string Number,
    string Title,
    Guid PipelineId,
    Guid StageId,
    string? StageName,
    StageKind? StageKind,
    DateTimeOffset StageEnteredAt,
    int DaysInStage,
    bool Stalled,
    Guid? CompanyId,
    string? CompanyName,
    Guid? ContactId,
    string? ContactName,
    Guid? LeadId,
    string? LeadName,
    decimal Amount,
    string Currency,
    DateOnly? ExpectedClose,
    Guid OwnerId,
    Guid OwnerDepartmentId,
    int? Probability,
    DealSource? Source,
    PaymentForm? PaymentForm,
    DeliveryKind? Delivery,
    Guid? LossReasonId,
    string? LossComment,
    DateTimeOffset? ClosedAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    JsonElement? CustomFields,
    IReadOnlyList<LineItemDto>? Items,
    uint Version)
{
    public static DealDto From(Deal d, Stage? stage, DateTimeOffset now, bool withItems) => new(
        d.Id, d.DisplayNumber, d.Title, d.PipelineId, d.StageId, stage?.Name, stage?.Kind, d.StageEnteredAt,
        Stage.DaysIn(d.StageEnteredAt, now), stage?.IsStalled(d.StageEnteredAt, now) ?? false,
        d.CompanyId, d.CompanyName, d.ContactId, d.ContactName, d.LeadId, d.LeadName,
        d.Amount, d.Currency, d.ExpectedClose, d.OwnerId, d.OwnerDepartmentId, d.Probability, d.Source, d.PaymentForm, d.Delivery,
        d.LossReasonId, d.LossComment, d.ClosedAt, d.CreatedAt, d.UpdatedAt, d.CustomFields?.RootElement.Clone(),
        withItems ? d.Items.OrderBy(i => i.Position).Select(LineItemDto.From).ToList() : null,
        d.Version);
}

internal sealed record DealListResponse(IReadOnlyList<DealDto> Items, string? NextCursor);

/// <summary>
/// The body of POST /api/v1/deals/{id}/move. With <see cref="ChangePipeline"/> the stage may belong to
/// another pipeline: the deal moves there (recorded in its stage history), the order rules aside.
/// </summary>
internal sealed record MoveRequest(
    Guid? StageId,
    Guid? LossReasonId = null,
    string? LossComment = null,
    Dictionary<string, JsonElement>? Fields = null,
    uint? Version = null,
    bool? Force = null,
    bool? ChangePipeline = null);

internal sealed record MissingFieldDto(string Key, string Label, string Input, IReadOnlyList<OptionDto> Options);

internal sealed record OptionDto(string Value, string Label);

using Microsoft.Extensions.Localization;

namespace Crm.Clients.Areas.Clients.Features.Shared;

/// <summary>The user-facing names of the module's enumerations, in the user's language.</summary>
internal static class ClientTexts
{
    public static string CompanyType(Domain.CompanyType type, IStringLocalizer L) => type switch
    {
        Domain.CompanyType.Partner => L["Partner"],
        Domain.CompanyType.Supplier => L["Supplier"],
        Domain.CompanyType.Competitor => L["Competitor"],
        _ => L["Client"],
    };

    public static string LeadStatus(Domain.LeadStatus status, IStringLocalizer L) => status switch
    {
        Domain.LeadStatus.InWork => L["In work"],
        Domain.LeadStatus.Qualified => L["Qualified"],
        Domain.LeadStatus.Junk => L["Junk"],
        Domain.LeadStatus.Converted => L["Converted"],
        _ => L["New"],
    };

    public static string LeadSource(Domain.LeadSource source, IStringLocalizer L) => source switch
    {
        Domain.LeadSource.WebForm => L["Web form"],
        Domain.LeadSource.Call => L["Call"],
        Domain.LeadSource.Mail => L["Mail"],
        Domain.LeadSource.Import => L["Import"],
        Domain.LeadSource.Api => L["API"],
        _ => L["Manual"],
    };

    public static string TimelineKind(string kind, IStringLocalizer L) => kind switch
    {
        "note" => L["Note"],
        "created" => L["Created"],
        "changed" => L["Changed"],
        "owner" => L["Responsible"],
        "deleted" => L["Deleted"],
        "contact" => L["Contact"],
        "restored" => L["Restored"],
        "converted" => L["Conversion"],
        "file" => L["File"],
        "merged" => L["Merge"],
        "audit" => L["Audit log"],
        "task" => L["Task"],
        "deal" => L["Deal"],
        "mail" => L["Mail"],
        "scenario" => L["Scenario"],
        _ => kind,
    };

    /// <summary>An audit log action (<see cref="Audit.ClientAudit.Actions"/>) as the admin reads it.</summary>
    public static string AuditAction(string action, IStringLocalizer L) => action switch
    {
        Audit.ClientAudit.Actions.Export => L["Export"],
        Audit.ClientAudit.Actions.Bulk => L["Bulk action"],
        Audit.ClientAudit.Actions.Purge => L["Deleted for good"],
        Audit.ClientAudit.Actions.Restore => L["Restored"],
        Audit.ClientAudit.Actions.Merge => L["Merge"],
        Audit.ClientAudit.Actions.Import => L["Import"],
        _ => action,
    };

    public static string Kind(Contracts.ClientKind kind, IStringLocalizer L) => kind switch
    {
        Contracts.ClientKind.Lead => L["Lead"],
        Contracts.ClientKind.Company => L["Company"],
        _ => L["Contact"],
    };
}

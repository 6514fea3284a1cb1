using System.Linq.Expressions;
using Crm.Clients.Domain;
using Crm.Clients.Import;
using Microsoft.EntityFrameworkCore;

namespace Crm.Clients.Access;

/// <summary>
/// A standard field a list can filter by "equals" (the custom fields join them in the same control):
/// its key ("f:industry"), its label (a text key), and the condition a typed value gives — null when the
/// value does not fit (an unknown status).
/// </summary>
internal sealed record FieldFilter<T>(string Key, string Label, Func<string, Expression<Func<T, bool>>?> Condition);

internal static class FieldFilters
{
    public const string Prefix = "f:";

    public static readonly FieldFilter<Company>[] Companies =
    [
        new(Prefix + "type", "Type", v => ImportFields.ParseCompanyType(ImportFields.Normalize(v)) is { } type ? c => c.Type == type : null),
        new(Prefix + "industry", "Industry", v => Equal<Company>(c => c.Industry, v)),
    ];

    public static readonly FieldFilter<Contact>[] Contacts =
    [
        new(Prefix + "position", "Position", v => Equal<Contact>(c => c.Position, v)),
    ];

    public static readonly FieldFilter<Lead>[] Leads =
    [
        new(Prefix + "status", "Status", v => ImportFields.ParseLeadStatus(ImportFields.Normalize(v)) is { } status ? l => l.Status == status : null),
        new(Prefix + "source", "Source", v => ImportFields.ParseLeadSource(ImportFields.Normalize(v)) is { } source ? l => l.Source == source : null),
        new(Prefix + "company_name", "Company", v => Equal<Lead>(l => l.CompanyName, v)),
    ];

    /// <summary>Case-insensitive equality of a text field (ILIKE without wildcards).</summary>
    private static Expression<Func<T, bool>> Equal<T>(Expression<Func<T, string?>> field, string value)
    {
        var pattern = Integration.ClientSearch.Like(value.Trim());
        var row = field.Parameters[0];
        var call = Expression.Call(
            typeof(NpgsqlDbFunctionsExtensions).GetMethod(nameof(NpgsqlDbFunctionsExtensions.ILike), [typeof(DbFunctions), typeof(string), typeof(string), typeof(string)])!,
            Expression.Constant(EF.Functions),
            field.Body,
            Expression.Constant(pattern),
            Expression.Constant("\\"));
        return Expression.Lambda<Func<T, bool>>(call, row);
    }
}

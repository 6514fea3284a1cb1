using System.Linq.Expressions;
using Crm.Clients.Contracts;
using Crm.Clients.Domain;
using Crm.CustomFields.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;

namespace Crm.Clients.Access;

/// <summary>
/// One way to order a list: a sort key and a direction, with the id after the key so equal keys still
/// page deterministically. The next page is a row-value comparison on (key, id) from the cursor row,
/// never an OFFSET: each key has a partial (key, id) index in every scope shape.
/// </summary>
internal abstract class ListSort<T>
    where T : ClientRecord
{
    /// <summary>"name", "created", "updated" or "activity".</summary>
    public required string Key { get; init; }

    public bool Descending { get; init; }

    /// <summary>As the querystring carries it: "name", "-created".</summary>
    public string Value => Descending ? "-" + Key : Key;

    public abstract IOrderedQueryable<T> Order(IQueryable<T> records);

    /// <summary>The rows after the cursor record in this order (all rows when the cursor is unknown).</summary>
    public abstract Task<IQueryable<T>> AfterAsync(IQueryable<T> records, IQueryable<T> table, Guid cursor, CancellationToken cancellationToken);
}

internal sealed class ListSort<T, TKey> : ListSort<T>
    where T : ClientRecord
{
    public required Expression<Func<T, TKey>> By { get; init; }

    public override IOrderedQueryable<T> Order(IQueryable<T> records) =>
        Descending ? records.OrderByDescending(By).ThenByDescending(r => r.Id) : records.OrderBy(By).ThenBy(r => r.Id);

    public override async Task<IQueryable<T>> AfterAsync(IQueryable<T> records, IQueryable<T> table, Guid cursor, CancellationToken cancellationToken)
    {
        var keys = await table.Where(r => r.Id == cursor).Select(By).Take(1).ToListAsync(cancellationToken);
        if (keys.Count == 0)
        {
            return records;
        }

        var key = keys[0];
        Expression<Func<TKey, Guid, bool>> after = Descending
            ? (k, id) => EF.Functions.LessThan(ValueTuple.Create(k, id), ValueTuple.Create(key, cursor))
            : (k, id) => EF.Functions.GreaterThan(ValueTuple.Create(k, id), ValueTuple.Create(key, cursor));
        var row = By.Parameters[0];
        var body = ReplacingExpressionVisitor.Replace(after.Parameters[0], By.Body, after.Body);
        body = ReplacingExpressionVisitor.Replace(after.Parameters[1], Expression.Property(row, nameof(ClientRecord.Id)), body);
        return records.Where(Expression.Lambda<Func<T, bool>>(body, row));
    }
}

/// <summary>The sorts every list offers, and each kind's default (leads newest first, the others by name).</summary>
internal static class ClientSorts
{
    public static readonly string[] Keys = ["name", "created", "updated", "activity"];

    /// <summary>A custom field's sort key: "cf:" + its key.</summary>
    public const string CustomPrefix = "cf:";

    public static string Default(ClientKind kind) => kind == ClientKind.Lead ? "-created" : "name";

    /// <summary>The sort the value names ("-updated"), or the kind's default for anything else.</summary>
    public static ListSort<T> For<T>(ClientKind kind, string? value, Expression<Func<T, string>> name, ICustomFieldSet? custom = null)
        where T : ClientRecord
    {
        var descending = value is { Length: > 1 } && value[0] == '-';
        var key = descending ? value![1..] : value;
        if (key is not null && key.StartsWith(CustomPrefix, StringComparison.Ordinal)
            && custom?.Fields.FirstOrDefault(f => CustomPrefix + f.Key == key) is { } field)
        {
            return Custom<T>(field, descending);
        }

        return key switch
        {
            "name" => new ListSort<T, string> { Key = "name", Descending = descending, By = name },
            "created" => new ListSort<T, DateTimeOffset> { Key = "created", Descending = descending, By = r => r.CreatedAt },
            "updated" => new ListSort<T, DateTimeOffset> { Key = "updated", Descending = descending, By = r => r.UpdatedAt },
            // A record never touched sorts by its creation: no NULLs in the key, so the row-value
            // comparison stays simple and the expression index (see the migration) serves it.
            "activity" => new ListSort<T, DateTimeOffset> { Key = "activity", Descending = descending, By = r => r.LastActivityAt ?? r.CreatedAt },
            _ => For(kind, Default(kind), name),
        };
    }

    public static bool IsKnown(string? value, ICustomFieldSet? custom = null) =>
        value is { Length: > 0 } && (value[0] == '-' ? value[1..] : value) is var key
        && (Keys.Contains(key, StringComparer.Ordinal) || (custom?.Fields.Any(f => CustomPrefix + f.Key == key) ?? false));

    /// <summary>
    /// A custom field's sort: numbers and money as numbers, the rest as the stored text (ISO dates sort
    /// right as text). A record without the value sorts as 0 or "" so the key is never NULL and the
    /// row-value paging stays exact. No index: a sort of a million rows by a custom field scans them.
    /// </summary>
    private static ListSort<T> Custom<T>(CustomFieldDefinition field, bool descending)
        where T : ClientRecord
    {
        var key = field.Key;
        return field.Type is CustomFieldType.Number or CustomFieldType.Money
            ? new ListSort<T, decimal>
            {
                Key = CustomPrefix + key,
                Descending = descending,
                By = r => (decimal?)r.CustomFields!.RootElement.GetProperty(key).GetDecimal() ?? 0m,
            }
            : new ListSort<T, string>
            {
                Key = CustomPrefix + key,
                Descending = descending,
                By = r => r.CustomFields!.RootElement.GetProperty(key).GetString() ?? "",
            };
    }
}

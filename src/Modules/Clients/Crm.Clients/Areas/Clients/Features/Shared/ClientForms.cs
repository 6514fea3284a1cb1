using Crm.Clients.Domain;
using Crm.Identity.Contracts;
using Crm.SharedKernel.Access;

namespace Crm.Clients.Areas.Clients.Features.Shared;

/// <summary>How stored values are put back into a page's text boxes for editing.</summary>
internal static class ClientForms
{
    public static string Join(IEnumerable<string> values) => string.Join('\n', values);

    public static string PhonesForEditing(IEnumerable<string> phones) => string.Join('\n', phones.Select(Requisites.FormatPhone));
}

/// <summary>
/// Who may be made responsible for a record: the current user's reach for the action (an admin anyone,
/// a head the department's people, a manager only themself).
/// </summary>
internal sealed class OwnerChoices(IUserDirectory users, ICurrentUser currentUser)
{
    public async Task<IReadOnlyList<UserSummary>> ForAsync(AccessFilter filter, CancellationToken cancellationToken) => filter.Scope switch
    {
        AccessScope.All => await users.GetActiveUsersAsync(cancellationToken: cancellationToken),
        AccessScope.Department => (await users.GetActiveUsersAsync(filter.DepartmentIds, cancellationToken))
            .Concat((await users.FindUserAsync(currentUser.Id, cancellationToken)) is { } self ? [self] : [])
            .DistinctBy(u => u.Id)
            .OrderBy(u => u.FullName)
            .ToList(),
        AccessScope.Own => (await users.FindUserAsync(currentUser.Id, cancellationToken)) is { } me ? [me] : [],
        _ => [],
    };
}

/// <summary>Field-by-field differences of a record, written to its timeline as "changed".</summary>
internal static class FieldChanges
{
    public static string? Describe(IReadOnlyDictionary<string, string?> before, IReadOnlyDictionary<string, string?> after) =>
        string.Join('\n', after
            .Where(pair => (before.GetValueOrDefault(pair.Key) ?? "") != (pair.Value ?? ""))
            .Select(pair => $"{pair.Key}: {Show(before.GetValueOrDefault(pair.Key))} → {Show(pair.Value)}")) is { Length: > 0 } text ? text : null;

    private static string Show(string? value) => string.IsNullOrEmpty(value) ? "—" : value.Replace('\n', ',');
}

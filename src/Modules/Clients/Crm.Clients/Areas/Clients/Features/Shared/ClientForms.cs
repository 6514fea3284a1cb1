using Crm.Clients.Domain;
using Crm.Identity.Contracts;
using Crm.SharedKernel.Access;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.Extensions.Localization;

namespace Crm.Clients.Areas.Clients.Features.Shared;

/// <summary>
/// Turns what a user typed into stored values, adding a message next to the field for each thing that
/// is wrong: phones one per line (stored E.164), e-mails one per line (lower-cased), tags by comma.
/// </summary>
internal static class ClientForms
{
    public static List<string> Phones(string? text, ModelStateDictionary state, string field, IStringLocalizer L)
    {
        var phones = new List<string>();
        foreach (var line in Lines(text))
        {
            if (Requisites.NormalizePhone(line) is { } phone)
            {
                if (!phones.Contains(phone))
                {
                    phones.Add(phone);
                }
            }
            else
            {
                state.AddModelError(field, L["“{0}” is not a phone number.", line]);
            }
        }

        return phones;
    }

    public static List<string> Emails(string? text, ModelStateDictionary state, string field, IStringLocalizer L)
    {
        var emails = new List<string>();
        foreach (var line in Lines(text))
        {
            if (Requisites.NormalizeEmail(line) is { } email)
            {
                if (!emails.Contains(email))
                {
                    emails.Add(email);
                }
            }
            else
            {
                state.AddModelError(field, L["“{0}” is not an e-mail address.", line]);
            }
        }

        return emails;
    }

    public static List<string> Tags(string? text) =>
        (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(tag => tag.Length <= 50)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();

    public static string Join(IEnumerable<string> values) => string.Join('\n', values);

    public static string PhonesForEditing(IEnumerable<string> phones) => string.Join('\n', phones.Select(Requisites.FormatPhone));

    private static string[] Lines(string? text) =>
        (text ?? "").Split(['\n', '\r', ',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
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

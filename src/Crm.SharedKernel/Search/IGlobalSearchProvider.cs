namespace Crm.SharedKernel.Search;

/// <summary>
/// One module's part of the header search box. Each provider applies the access policy itself and
/// returns at most <c>limit</c> hits; the host groups them by kind in the order of <see cref="Order"/>.
/// The host asks every provider for <see cref="SearchMode.Literal"/> matches first and, only when none
/// of them found anything, for <see cref="SearchMode.Fuzzy"/> ones: typo tolerance costs far more at a
/// million rows and is only needed when the literal text matches nothing.
/// </summary>
public interface IGlobalSearchProvider
{
    int Order { get; }

    Task<SearchGroup> SearchAsync(string query, SearchMode mode, int limit, CancellationToken cancellationToken);
}

public enum SearchMode
{
    /// <summary>The text as typed: a name or e-mail fragment, phone digits, an INN.</summary>
    Literal,

    /// <summary>Near matches for a mistyped name (trigram word similarity). A provider without one returns nothing.</summary>
    Fuzzy,
}

/// <param name="Title">The group's heading, already in the user's language.</param>
public sealed record SearchGroup(string Kind, string Title, IReadOnlyList<SearchHit> Hits);

public sealed record SearchHit(string Title, string? Subtitle, string Url);

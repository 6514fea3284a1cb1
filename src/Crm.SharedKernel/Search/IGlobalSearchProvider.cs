namespace Crm.SharedKernel.Search;

/// <summary>
/// One module's part of the header search box. Each provider applies the access policy itself and
/// returns at most <c>limit</c> hits; the host groups them by kind in the order of <see cref="Order"/>.
/// </summary>
public interface IGlobalSearchProvider
{
    int Order { get; }

    Task<SearchGroup> SearchAsync(string query, int limit, CancellationToken cancellationToken);
}

/// <param name="Title">The group's heading, already in the user's language.</param>
public sealed record SearchGroup(string Kind, string Title, IReadOnlyList<SearchHit> Hits);

public sealed record SearchHit(string Title, string? Subtitle, string Url);

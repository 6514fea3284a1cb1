using Crm.Deals.Contracts;
using Crm.Deals.Domain;
using Crm.SharedKernel.Localization;
using Microsoft.Extensions.Localization;

namespace Crm.Deals.Audit;

/// <summary>
/// Translates the timeline lines other modules wrote as stored texts (<see cref="DealTimelineKind"/>) into the
/// reader's language, with the writing module's own strings; lines of other kinds are left as written.
/// </summary>
internal sealed class DealTimelineTexts(IEnumerable<DealTimelineKind> kinds, IStringLocalizerFactory localizers)
{
    private readonly Dictionary<string, Type> stringsByKind = kinds
        .GroupBy(k => k.Kind, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.First().Strings, StringComparer.Ordinal);

    /// <summary>Rewrites the lines' subject and text in place: they are read without tracking, for display only.</summary>
    public void Translate(IEnumerable<DealTimelineEntry> entries)
    {
        foreach (var entry in entries)
        {
            if (stringsByKind.TryGetValue(entry.Kind, out var strings))
            {
                var localizer = localizers.Create(strings);
                entry.Subject = StoredText.Render(localizer, entry.Subject);
                entry.Text = entry.Text is null ? null : StoredText.Render(localizer, entry.Text);
            }
        }
    }
}

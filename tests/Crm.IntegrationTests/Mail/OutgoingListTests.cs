using System.Collections.Concurrent;
using System.Net;
using System.Text.RegularExpressions;
using Crm.Mail.Domain;
using Crm.Mail.Jobs;
using Crm.Mail.Sending;
using Crm.SharedKernel.Access;
using Crm.Testing;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Crm.IntegrationTests.Mail;

/// <summary>
/// The admins' outgoing mail list (/admin/mail/outgoing): admins only, its filters, keyset paging over
/// (created_at, id) and the retry of a failed mail, which queues it once however often it is pressed. Each
/// test puts its mails on a day of its own far in the past, so the period filter keeps them apart from the rest.
/// The demo users read Russian (their profiles), so the messages are looked for in it.
/// </summary>
public sealed partial class OutgoingListTests(OutgoingListTests.App app) : IClassFixture<OutgoingListTests.App>
{
    private const string Path = "/admin/mail/outgoing";

    public sealed class App : CrmApp
    {
        /// <summary>The mails a "mail:send" job was enqueued for (jobs do not run in these tests).</summary>
        public RecordingJobs Jobs { get; } = new();

        protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<IBackgroundJobClient>(Jobs);
    }

    [Fact]
    public async Task Managers_and_heads_are_refused_the_list_and_its_retry()
    {
        var failed = await MailData.OutgoingAsync(app.Services, "Refused " + Guid.NewGuid().ToString("N")[..8], MailStatus.Failed, Day(6).AddHours(10));

        foreach (var email in new[] { CrmApp.Anna, CrmApp.Head })
        {
            var client = await app.SignInAsync(email);
            var list = await client.GetAsync(Path);
            Assert.True(IsDenied(list), $"{email} GET: {list.StatusCode} {list.Headers.Location}");

            // The antiforgery token comes from a page they may open (the layout has one on every page).
            var retry = await CrmApp.PostFormAsync(client, "/", $"{Path}/{failed.Id}/retry", new Dictionary<string, string>());
            Assert.True(IsDenied(retry), $"{email} POST: {retry.StatusCode} {retry.Headers.Location}");
        }

        Assert.Equal(MailStatus.Failed, (await MailData.ReloadAsync(app.Services, failed.Id)).Status);
        Assert.DoesNotContain(failed.Id, app.Jobs.Sent);
    }

    [Fact]
    public async Task The_status_period_text_and_record_filters_return_exactly_the_matching_mails()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var deal = await DealsData.CreateAsync(app, CrmApp.Anna);
        var sent = await MailData.OutgoingAsync(app.Services, $"Offer {tag}", MailStatus.Sent, Day(2).AddHours(9), recordKind: EntityKinds.Deal, recordId: deal.Id);
        var failed = await MailData.OutgoingAsync(app.Services, $"Invoice {tag}", MailStatus.Failed, Day(2).AddHours(12), to: $"accounts-{tag}@client.example");
        var queued = await MailData.OutgoingAsync(app.Services, $"Reminder {tag}", MailStatus.Queued, Day(2).AddHours(20).AddMinutes(59));
        var dayBefore = await MailData.OutgoingAsync(app.Services, $"Earlier {tag}", MailStatus.Failed, Day(1).AddHours(23));
        var admin = await app.SignInAsync(CrmApp.Admin);
        var day = Date(2);

        // The day in Moscow: 21:00 UTC of the day before to 21:00 UTC of the day (the demo admin's zone).
        Assert.Equal([queued.Id, failed.Id, sent.Id], await IdsAsync(admin, $"{Path}?from={day}&to={day}"));
        Assert.Equal([queued.Id, failed.Id, sent.Id, dayBefore.Id], await IdsAsync(admin, $"{Path}?from={Date(1)}&to={day}"));
        Assert.Equal([failed.Id], await IdsAsync(admin, $"{Path}?status=failed&from={day}&to={day}"));
        Assert.Equal([failed.Id, dayBefore.Id], await IdsAsync(admin, $"{Path}?status=failed&q={tag}"));
        Assert.Equal([failed.Id], await IdsAsync(admin, $"{Path}?q=ACCOUNTS-{tag}"));
        Assert.Equal([sent.Id], await IdsAsync(admin, $"{Path}?q=offer+{tag}"));
        Assert.Equal([sent.Id], await IdsAsync(admin, $"{Path}?kind=deal&q={tag}"));
        Assert.Equal([queued.Id, failed.Id, dayBefore.Id], await IdsAsync(admin, $"{Path}?kind=none&q={tag}"));

        // The deal's row links its card by number and title.
        var page = await admin.GetStringAsync($"{Path}?kind=deal&q={tag}");
        Assert.Contains($"href=\"/deals/{deal.Id}\"", page, StringComparison.Ordinal);
        Assert.Contains(WebUtility.HtmlEncode(deal.Title), page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_filters_answer_the_page_with_messages_not_an_error()
    {
        var admin = await app.SignInAsync(CrmApp.Admin);

        foreach (var query in new[] { "?status=lost", "?status=1", "?from=yesterday", "?q=ab", "?kind=invoice", "?cursor=%%%" })
        {
            var response = await admin.GetAsync(Path + query);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var html = await response.Content.ReadAsStringAsync();
            Assert.Contains("data-empty", html, StringComparison.Ordinal);
            Assert.True(html.Contains("invalid-feedback", StringComparison.Ordinal) || html.Contains("role=\"alert\"", StringComparison.Ordinal), query);
        }
    }

    [Fact]
    public async Task Show_more_pages_through_every_mail_exactly_once_even_when_mails_share_a_moment()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var start = Day(3).AddHours(8);
        var created = new List<Guid>();
        for (var i = 0; i < 70; i++)
        {
            // Ten mails at each moment: the id decides their order, and no page boundary may lose or repeat one.
            created.Add((await MailData.OutgoingAsync(app.Services, $"Paged {tag} {i}", MailStatus.Sent, start.AddMinutes(i / 10))).Id);
        }

        var admin = await app.SignInAsync(CrmApp.Admin);
        var seen = new List<Guid>();
        var url = $"{Path}?q={tag}";
        var pages = 0;
        while (url is not null)
        {
            var html = await admin.GetStringAsync(url);
            seen.AddRange(Ids(html));
            url = MoreLink().Match(html) is { Success: true } more ? WebUtility.HtmlDecode(more.Groups[1].Value) : null;
            pages++;
            Assert.True(pages <= 5, "The list kept offering more.");
        }

        Assert.Equal(3, pages);
        Assert.Equal(created.Count, seen.Count);
        Assert.Equal(created.ToHashSet(), seen.ToHashSet());

        // Newest first: the moments never go up along the pages.
        var moments = (await Task.WhenAll(seen.Select(id => MailData.ReloadAsync(app.Services, id)))).Select(m => (m.CreatedAt, m.Id)).ToList();
        Assert.Equal(moments.OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Id), moments);

        // The htmx request gets the rows only, with the next link.
        admin.DefaultRequestHeaders.Add("HX-Request", "true");
        var partial = await admin.GetStringAsync($"{Path}?q={tag}");
        Assert.DoesNotContain("<form method=\"get\"", partial, StringComparison.Ordinal);
        Assert.Equal(30, Ids(partial).Count);
    }

    [Fact]
    public async Task A_failed_mail_is_queued_once_from_the_list_and_a_second_retry_is_refused_without_error()
    {
        var subject = "Retry from the list " + Guid.NewGuid().ToString("N")[..8];
        var failed = await MailData.OutgoingAsync(app.Services, subject, MailStatus.Failed, Day(4).AddHours(11));
        var admin = await app.SignInAsync(CrmApp.Admin);
        var listUrl = $"{Path}?status=failed&q={Uri.EscapeDataString(subject)}";
        var list = await admin.GetStringAsync(listUrl);
        Assert.Contains($"action=\"{Path}/{failed.Id}/retry\"", list, StringComparison.Ordinal);

        var first = await CrmApp.PostFormAsync(admin, listUrl, $"{Path}/{failed.Id}/retry", new Dictionary<string, string> { ["returnUrl"] = listUrl });
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.Equal(listUrl, first.Headers.Location?.OriginalString);
        Assert.Contains("снова поставлено в очередь", await admin.GetStringAsync(listUrl), StringComparison.Ordinal);
        var queued = await MailData.ReloadAsync(app.Services, failed.Id);
        Assert.Equal(MailStatus.Queued, queued.Status);

        // The list still open in another tab: pressing Retry again tells what the mail is now and queues nothing.
        var second = await CrmApp.PostFormAsync(admin, Path, $"{Path}/{failed.Id}/retry", new Dictionary<string, string> { ["returnUrl"] = "https://evil.example/" });
        Assert.Equal(HttpStatusCode.Redirect, second.StatusCode);
        Assert.Equal(Path, second.Headers.Location?.OriginalString);
        var after = await admin.GetAsync(Path);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Contains("уже не в ошибке", await after.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(MailStatus.Queued, (await MailData.ReloadAsync(app.Services, failed.Id)).Status);
        Assert.Single(app.Jobs.Sent, id => id == failed.Id);

        Assert.Equal(HttpStatusCode.NotFound, (await CrmApp.PostFormAsync(admin, Path, $"{Path}/{Guid.NewGuid()}/retry", new Dictionary<string, string>())).StatusCode);
    }

    [Fact]
    public async Task Two_admins_retrying_the_same_failed_mail_at_once_queue_it_once()
    {
        var failed = await MailData.OutgoingAsync(app.Services, "Race " + Guid.NewGuid().ToString("N")[..8], MailStatus.Failed, Day(5).AddHours(11));

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
            app.WithScopeAsync(services => services.GetRequiredService<MailQueue>().RetryAsync(failed.Id, CancellationToken.None)))));

        Assert.Single(results, won => won);
        Assert.Single(app.Jobs.Sent, id => id == failed.Id);
        Assert.Equal(MailStatus.Queued, (await MailData.ReloadAsync(app.Services, failed.Id)).Status);
    }

    /// <summary>A day of this fixture's own, years back: nothing else in the database was queued then.</summary>
    private static DateTimeOffset Day(int number) => new(2019, 3, number * 2, 0, 0, 0, TimeSpan.FromHours(3));

    private static string Date(int number) => Day(number).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private static bool IsDenied(HttpResponseMessage response) =>
        response.StatusCode == HttpStatusCode.Forbidden
        || (response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location?.OriginalString.Contains("/account/denied", StringComparison.Ordinal) == true);

    private static async Task<List<Guid>> IdsAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Ids(await response.Content.ReadAsStringAsync());
    }

    private static List<Guid> Ids(string html) => [.. MailRow().Matches(html).Select(m => Guid.Parse(m.Groups[1].Value))];

    [GeneratedRegex("data-mail=\"([0-9a-f-]{36})\"")]
    private static partial Regex MailRow();

    [GeneratedRegex("href=\"([^\"]+)\"[^>]*data-more")]
    private static partial Regex MoreLink();

    /// <summary>Records the mails whose send job was enqueued, instead of enqueuing them.</summary>
    public sealed class RecordingJobs : IBackgroundJobClient
    {
        private readonly ConcurrentQueue<Guid> _sent = new();

        public IReadOnlyList<Guid> Sent => [.. _sent];

        public string Create(Job job, IState state)
        {
            if (job.Type == typeof(MailJobs) && job.Method.Name == nameof(MailJobs.SendAsync))
            {
                _sent.Enqueue((Guid)job.Args[0]);
            }

            return Guid.NewGuid().ToString("N");
        }

        public bool ChangeState(string jobId, IState state, string expectedState) => true;
    }
}

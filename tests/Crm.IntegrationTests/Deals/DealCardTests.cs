using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Crm.Deals.Audit;
using Crm.Deals.Data;
using Crm.Deals.Domain;
using Crm.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Crm.IntegrationTests.Deals;

/// <summary>The deal card: its header and columns, stage changes through the mover, comments, files, delete, scopes on every route.</summary>
public sealed class DealCardTests(CrmApp app) : IClassFixture<CrmApp>
{
    // Goods sale: 0 initial interest, 1 proposal, 2 negotiation, 3 proposal approved (requires amount),
    // 4 invoice sent (amount, payment form), 5 paid, 6 shipped (won, delivery), 7 paused, 8 lost.
    private async Task<(Pipeline Pipeline, Deal Deal)> InOrderDealAsync(int stage = 0, string owner = CrmApp.Anna, Action<Deal>? configure = null)
    {
        var pipeline = await DealsData.PipelineAsync(app);
        await DealsData.SetPipelineAsync(app, pipeline.Id, TransitionMode.InOrder, allowBack: true);
        return (pipeline, await DealsData.CreateAsync(app, owner, stage, configure: configure));
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string url, params (string Key, string Value)[] fields) =>
        CrmApp.PostFormAsync(client, "/deals/new", url, fields.ToDictionary(f => f.Key, f => f.Value));

    private static async Task<string> HtmlAsync(HttpResponseMessage response) => WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

    private Task<List<DealAuditEntry>> AuditAsync(Guid dealId) =>
        app.WithScopeAsync(s => s.GetRequiredService<DealsDbContext>().AuditLog.AsNoTracking().Where(a => a.DealId == dealId).OrderBy(a => a.At).ToListAsync());

    [Fact]
    public async Task The_card_shows_number_title_amount_stage_with_days_client_and_owner()
    {
        var (pipeline, deal) = await InOrderDealAsync(configure: d =>
        {
            d.Title = "Станок для цеха";
            d.Amount = 1_234_567.5m;
            d.CompanyId = Guid.NewGuid();
            d.CompanyName = "ООО «Заказчик»";
        });
        var anna = await app.SignInAsync(CrmApp.Anna);

        var html = WebUtility.HtmlDecode(await anna.GetStringAsync("/deals/" + deal.Id));

        Assert.Contains(deal.DisplayNumber, html, StringComparison.Ordinal);
        Assert.Contains("Станок для цеха", html, StringComparison.Ordinal);
        Assert.Contains("1\u202f234\u202f567,50", html, StringComparison.Ordinal);
        Assert.Contains(pipeline.Stages[0].Name, html, StringComparison.Ordinal);
        Assert.Contains("0 дн. на стадии", html, StringComparison.Ordinal);
        Assert.Contains("ООО «Заказчик»", html, StringComparison.Ordinal);
        Assert.Contains("Анна Петрова", html, StringComparison.Ordinal);
        Assert.Contains(await CreatedSubjectAsync(deal.Id), html, StringComparison.Ordinal);
        Assert.Contains("История стадий", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_manager_cannot_reach_a_colleagues_deal_through_any_route()
    {
        var (pipeline, deal) = await InOrderDealAsync();
        var anna = await app.SignInAsync(CrmApp.Anna);
        var url = "/deals/" + deal.Id;
        var annaUpload = Upload("anna.txt", "secret");
        annaUpload.Add(new StringContent(CrmApp.AntiforgeryToken(await anna.GetStringAsync(url))), "__RequestVerificationToken");
        Assert.Equal(HttpStatusCode.Redirect, (await anna.PostAsync(url + "/attachments", annaUpload)).StatusCode);
        var attachment = await app.WithScopeAsync(s => s.GetRequiredService<DealsDbContext>().Attachments.SingleAsync(a => a.DealId == deal.Id));
        var ivan = await app.SignInAsync(CrmApp.Ivan);

        Assert.Equal(HttpStatusCode.NotFound, (await ivan.GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await ivan.GetAsync(url + "/edit")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync(ivan, url + "/edit", ("Form.Title", "Захвачено"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync(ivan, url + "/stage", ("StageId", pipeline.Stages[1].Id.ToString()))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync(ivan, url + "/comments", ("Comment.Text", "чужой комментарий"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await ivan.GetAsync($"{url}/attachments/{attachment.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync(ivan, $"{url}/attachments/{attachment.Id}/delete")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync(ivan, url + "/delete")).StatusCode);
        var upload = Upload("ivan.txt", "x");
        upload.Add(new StringContent(CrmApp.AntiforgeryToken(await ivan.GetStringAsync("/deals/new"))), "__RequestVerificationToken");
        Assert.Equal(HttpStatusCode.NotFound, (await ivan.PostAsync(url + "/attachments", upload)).StatusCode);

        var saved = await DealsData.ReloadAsync(app, deal.Id);
        Assert.Equal((deal.Title, pipeline.Stages[0].Id, (DateTimeOffset?)null), (saved.Title, saved.StageId, saved.DeletedAt));
        Assert.Equal(HttpStatusCode.OK, (await anna.GetAsync($"{url}/attachments/{attachment.Id}")).StatusCode);
    }

    [Fact]
    public async Task A_move_out_of_order_from_the_card_is_refused_with_the_reason_and_changes_nothing()
    {
        var (pipeline, deal) = await InOrderDealAsync();
        var anna = await app.SignInAsync(CrmApp.Anna);

        var response = await PostAsync(anna, $"/deals/{deal.Id}/stage", ("StageId", pipeline.Stages[2].Id.ToString()), ("Version", deal.Version.ToString()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains($"В этой воронке сделка переходит только на следующую стадию: следующая — «{pipeline.Stages[1].Name}».", await HtmlAsync(response), StringComparison.Ordinal);
        Assert.Equal(pipeline.Stages[0].Id, (await DealsData.ReloadAsync(app, deal.Id)).StageId);

        var moved = await PostAsync(anna, $"/deals/{deal.Id}/stage", ("StageId", pipeline.Stages[1].Id.ToString()), ("Version", deal.Version.ToString()));
        Assert.Equal(HttpStatusCode.Redirect, moved.StatusCode);
        var history = await DealsData.HistoryAsync(app, deal.Id);
        Assert.Equal(MoveChannels.Page, history[^1].Channel);
        Assert.Equal(pipeline.Stages[1].Id, history[^1].StageId);
    }

    [Fact]
    public async Task A_stage_with_required_fields_asks_for_exactly_the_missing_ones_on_the_card_and_takes_them()
    {
        var (pipeline, deal) = await InOrderDealAsync(stage: 2);
        var anna = await app.SignInAsync(CrmApp.Anna);
        var url = $"/deals/{deal.Id}/stage";

        var asked = await PostAsync(anna, url, ("StageId", pipeline.Stages[3].Id.ToString()));
        var html = await HtmlAsync(asked);
        Assert.Equal(HttpStatusCode.OK, asked.StatusCode);
        Assert.Contains("name=\"Fields[amount]\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("name=\"Fields[paymentForm]\"", html, StringComparison.Ordinal);

        var wrong = await PostAsync(anna, url, ("StageId", pipeline.Stages[3].Id.ToString()), ("Fields[amount]", "много"));
        var wrongHtml = await HtmlAsync(wrong);
        Assert.Contains("Введите сумму больше нуля.", wrongHtml, StringComparison.Ordinal);
        Assert.Contains("value=\"много\"", wrongHtml, StringComparison.Ordinal);

        var moved = await PostAsync(anna, url, ("StageId", pipeline.Stages[3].Id.ToString()), ("Fields[amount]", "75 000"));
        Assert.Equal(HttpStatusCode.Redirect, moved.StatusCode);
        var saved = await DealsData.ReloadAsync(app, deal.Id);
        Assert.Equal((pipeline.Stages[3].Id, 75_000m), (saved.StageId, saved.Amount));

        var lost = pipeline.Stages.Single(s => s.Kind == StageKind.Lost);
        var reason = await PostAsync(anna, url, ("StageId", lost.Id.ToString()));
        Assert.Contains("name=\"LossReasonId\"", await HtmlAsync(reason), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_admins_forced_move_is_audited_and_a_managers_is_refused()
    {
        var (pipeline, deal) = await InOrderDealAsync(configure: d => (d.Amount, d.PaymentForm) = (1000m, PaymentForm.Cash));
        var anna = await app.SignInAsync(CrmApp.Anna);
        var admin = await app.SignInAsync(CrmApp.Admin);
        var url = $"/deals/{deal.Id}/stage";

        var refused = await PostAsync(anna, url, ("StageId", pipeline.Stages[4].Id.ToString()), ("Force", "true"));
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("Принудительно перемещать сделки может только администратор.", await HtmlAsync(refused), StringComparison.Ordinal);
        Assert.Equal(pipeline.Stages[0].Id, (await DealsData.ReloadAsync(app, deal.Id)).StageId);
        Assert.DoesNotContain("Перевести принудительно", await anna.GetStringAsync("/deals/" + deal.Id), StringComparison.Ordinal);

        var forced = await PostAsync(admin, url, ("StageId", pipeline.Stages[4].Id.ToString()), ("Force", "true"));
        Assert.Equal(HttpStatusCode.Redirect, forced.StatusCode);
        Assert.Equal(pipeline.Stages[4].Id, (await DealsData.ReloadAsync(app, deal.Id)).StageId);
        Assert.Contains(await AuditAsync(deal.Id), a => a.Action == DealAudit.Actions.Forced);
        Assert.True((await DealsData.HistoryAsync(app, deal.Id))[^1].Forced);
    }

    [Fact]
    public async Task Reopening_a_lost_deal_from_the_card_is_audited_and_clears_the_loss()
    {
        var (pipeline, deal) = await InOrderDealAsync();
        var anna = await app.SignInAsync(CrmApp.Anna);
        var lost = pipeline.Stages.Single(s => s.Kind == StageKind.Lost);
        var reasons = await app.WithScopeAsync(s => s.GetRequiredService<DealsDbContext>().LossReasons.AsNoTracking().Where(r => !r.IsArchived).ToListAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(anna, $"/deals/{deal.Id}/stage", ("StageId", lost.Id.ToString()), ("LossReasonId", reasons[0].Id.ToString()), ("LossComment", "дорого"))).StatusCode);

        var card = WebUtility.HtmlDecode(await anna.GetStringAsync("/deals/" + deal.Id));
        Assert.Contains("Переоткрыть", card, StringComparison.Ordinal);
        Assert.Contains(reasons[0].Name, card, StringComparison.Ordinal);

        var reopened = await PostAsync(anna, $"/deals/{deal.Id}/stage", ("StageId", pipeline.Stages[0].Id.ToString()));
        Assert.Equal(HttpStatusCode.Redirect, reopened.StatusCode);
        var saved = await DealsData.ReloadAsync(app, deal.Id);
        Assert.Equal((pipeline.Stages[0].Id, (Guid?)null, (DateTimeOffset?)null), (saved.StageId, saved.LossReasonId, saved.ClosedAt));
        Assert.Contains(await AuditAsync(deal.Id), a => a.Action == DealAudit.Actions.Reopened);
    }

    [Fact]
    public async Task Changing_the_pipeline_from_the_card_is_recorded_in_the_stage_history()
    {
        var (_, deal) = await InOrderDealAsync(stage: 1);
        var services = await DealsData.PipelineAsync(app, 1);
        var anna = await app.SignInAsync(CrmApp.Anna);

        var refused = await PostAsync(anna, $"/deals/{deal.Id}/stage", ("StageId", services.Stages[0].Id.ToString()));
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);

        var moved = await PostAsync(anna, $"/deals/{deal.Id}/stage", ("StageId", services.Stages[0].Id.ToString()), ("ChangePipeline", "true"));
        Assert.Equal(HttpStatusCode.Redirect, moved.StatusCode);
        var saved = await DealsData.ReloadAsync(app, deal.Id);
        Assert.Equal((services.Id, services.Stages[0].Id), (saved.PipelineId, saved.StageId));
        var last = (await DealsData.HistoryAsync(app, deal.Id))[^1];
        Assert.Equal((services.Id, MoveChannels.PipelineChange), (last.PipelineId, last.Channel));
        Assert.Contains(await AuditAsync(deal.Id), a => a.Action == DealAudit.Actions.PipelineChanged);
        Assert.Contains(services.Name, WebUtility.HtmlDecode(await anna.GetStringAsync("/deals/" + deal.Id)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stale_move_from_the_card_is_a_conflict()
    {
        var (pipeline, deal) = await InOrderDealAsync();
        var anna = await app.SignInAsync(CrmApp.Anna);
        await PostAsync(anna, $"/deals/{deal.Id}/stage", ("StageId", pipeline.Stages[1].Id.ToString()), ("Version", deal.Version.ToString()));

        var stale = await PostAsync(anna, $"/deals/{deal.Id}/stage", ("StageId", pipeline.Stages[2].Id.ToString()), ("Version", deal.Version.ToString()));

        Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
        Assert.Contains("Кто-то изменил эту сделку, пока вы работали.", await HtmlAsync(stale), StringComparison.Ordinal);
        Assert.Equal(pipeline.Stages[1].Id, (await DealsData.ReloadAsync(app, deal.Id)).StageId);
    }

    [Fact]
    public async Task Comments_and_files_land_on_the_timeline_newest_first()
    {
        var (_, deal) = await InOrderDealAsync();
        var anna = await app.SignInAsync(CrmApp.Anna);
        var url = "/deals/" + deal.Id;

        var empty = await PostAsync(anna, url + "/comments", ("Comment.Text", "  "));
        Assert.Contains("Сначала напишите комментарий.", await HtmlAsync(empty), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(anna, url + "/comments", ("Comment.Text", "Клиент просит скидку\nперезвонить в пятницу"))).StatusCode);

        var upload = Upload("offer.txt", "коммерческое предложение");
        upload.Add(new StringContent(CrmApp.AntiforgeryToken(await anna.GetStringAsync(url))), "__RequestVerificationToken");
        Assert.Equal(HttpStatusCode.Redirect, (await anna.PostAsync(url + "/attachments", upload)).StatusCode);
        var attachment = await app.WithScopeAsync(s => s.GetRequiredService<DealsDbContext>().Attachments.SingleAsync(a => a.DealId == deal.Id));
        var download = await anna.GetAsync($"{url}/attachments/{attachment.Id}");
        Assert.Equal("коммерческое предложение", await download.Content.ReadAsStringAsync());

        var created = await CreatedSubjectAsync(deal.Id);
        var card = WebUtility.HtmlDecode(await anna.GetStringAsync(url));
        Assert.True(card.IndexOf("Прикреплён файл: offer.txt", StringComparison.Ordinal) < card.IndexOf("Клиент просит скидку", StringComparison.Ordinal));
        Assert.True(card.IndexOf("Клиент просит скидку", StringComparison.Ordinal) < card.IndexOf(created, StringComparison.Ordinal));
        Assert.DoesNotContain(created, WebUtility.HtmlDecode(await anna.GetStringAsync(url + "?show=comments")), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(anna, $"{url}/attachments/{attachment.Id}/delete")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anna.GetAsync($"{url}/attachments/{attachment.Id}")).StatusCode);
    }

    [Fact]
    public async Task Deleting_a_deal_hides_it_and_is_audited()
    {
        var (_, deal) = await InOrderDealAsync();
        var anna = await app.SignInAsync(CrmApp.Anna);

        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(anna, $"/deals/{deal.Id}/delete")).StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await anna.GetAsync("/deals/" + deal.Id)).StatusCode);
        Assert.NotNull((await DealsData.ReloadAsync(app, deal.Id)).DeletedAt);
        Assert.Contains(await AuditAsync(deal.Id), a => a.Action == DealAudit.Actions.Deleted);
    }

    [Fact]
    public async Task The_client_card_shows_the_clients_deals_with_a_count_and_an_add_button()
    {
        var anna = await app.SignInAsync(CrmApp.Anna);
        var company = await ClientEventsForDealsTests.CreateCompanyAsync(anna, "ООО «С панелью " + Guid.NewGuid().ToString("N")[..6] + "»");
        var pipeline = await DealsData.PipelineAsync(app);
        var created = await CrmApp.PostFormAsync(anna, "/deals/new", "/deals/new", DealFormTests.Form(pipeline, 0, "Сделка на панели", ("CompanyId", company.ToString()), ("Amount", "5000")));
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        await DealsData.CreateAsync(app, CrmApp.Ivan, configure: d => (d.Title, d.CompanyId, d.CompanyName) = ("Сделка Ивана", company, "—"));

        var card = WebUtility.HtmlDecode(await anna.GetStringAsync("/companies/" + company));

        Assert.Contains("data-card-panel=\"DealsPanel\"", card, StringComparison.Ordinal);
        Assert.Contains("Сделка на панели", card, StringComparison.Ordinal);
        Assert.DoesNotContain("Сделка Ивана", card, StringComparison.Ordinal);
        Assert.Contains("data-deals-count>1<", card, StringComparison.Ordinal);
        Assert.Contains($"/deals/new?company={company}", card, StringComparison.Ordinal);
    }

    /// <summary>The "created" entry's subject: written in the culture of whoever created the deal (here the test, not a page).</summary>
    private Task<string> CreatedSubjectAsync(Guid dealId) =>
        app.WithScopeAsync(s => s.GetRequiredService<DealsDbContext>().Timeline.Where(t => t.DealId == dealId && t.Kind == "created").Select(t => t.Subject).SingleAsync());

    private static MultipartFormDataContent Upload(string name, string text)
    {
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(text));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        return new MultipartFormDataContent { { file, "file", name } };
    }
}

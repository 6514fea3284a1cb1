using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Crm.Deals.Audit;
using Crm.Deals.Data;
using Crm.Deals.Domain;
using Crm.Deals.Moving;
using Crm.Deals.Pipelines;
using Crm.SharedKernel.Access;
using Crm.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Crm.IntegrationTests.Deals;

/// <summary>The admin pages of pipelines, stages, loss reasons and the deals audit log, through HTTP as a browser posts them.</summary>
public sealed partial class PipelineAdminTests(CrmApp app) : IClassFixture<CrmApp>
{
    [Fact]
    public async Task Admin_creates_a_pipeline_from_a_template_named_in_the_admins_language()
    {
        // The demo admin's profile language is Russian: pages and new stage names follow it.
        var admin = await app.SignInAsync(CrmApp.Admin);

        var pipeline = await CreatePipelineAsync(admin, "services", "");

        Assert.Equal("Продажа услуг", pipeline.Name);
        Assert.Equal(["Первичный интерес", "Выезд на объект"], pipeline.Stages.Take(2).Select(s => s.Name));
        Assert.Equal(9, pipeline.Stages.Count);
        var catalog = await app.WithScopeAsync(s => s.GetRequiredService<PipelineCatalog>().FindAsync(pipeline.Id, CancellationToken.None));
        Assert.NotNull(catalog);
        Assert.True(await AuditedAsync("Продажа услуг"));
    }

    [Fact]
    public async Task Admin_edits_a_stage_and_the_catalog_sees_it_at_once()
    {
        var admin = await app.SignInAsync(CrmApp.Admin);
        var pipeline = await CreatePipelineAsync(admin, "goods", "Edited stages");
        var stage = pipeline.Stages[1];
        _ = await app.WithScopeAsync(s => s.GetRequiredService<PipelineCatalog>().PipelinesAsync(CancellationToken.None));

        var response = await PostStageAsync(admin, pipeline.Id, stage.Id, new Dictionary<string, string>
        {
            ["Form.Name"] = "Commercial offer",
            ["Form.Color"] = "#AA3300",
            ["Form.Kind"] = "Open",
            ["Form.TimeLimitDays"] = "3",
            ["Form.Probability"] = "33",
            ["Form.RequiredFields"] = "amount",
        }, extra: [("Form.RequiredFields", "source"), ("Form.RequiredFields", "cf:no_such_field")]);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var found = await app.WithScopeAsync(s => s.GetRequiredService<PipelineCatalog>().FindStageAsync(stage.Id, CancellationToken.None));
        var edited = found!.Value.Stage;
        Assert.Equal("Commercial offer", edited.Name);
        Assert.Equal("#aa3300", edited.Color);
        Assert.Equal(3, edited.TimeLimitDays);
        Assert.Equal(33, edited.Probability);
        Assert.Equal(["amount", "source"], edited.RequiredFields);
        Assert.True(await AuditedAsync("Commercial offer"));
    }

    [Fact]
    public async Task Stages_are_reordered_by_the_drag_and_drop_post_and_by_the_arrows()
    {
        var admin = await app.SignInAsync(CrmApp.Admin);
        var pipeline = await CreatePipelineAsync(admin, "goods", "Reordered");
        var ids = pipeline.Stages.Select(s => s.Id).ToList();
        (ids[0], ids[1]) = (ids[1], ids[0]);

        var page = await admin.GetStringAsync($"/admin/pipelines/{pipeline.Id}");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/admin/pipelines/{pipeline.Id}/stages/order")
        {
            Content = new FormUrlEncodedContent(ids.Select(id => KeyValuePair.Create("ids", id.ToString()))),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Add("RequestVerificationToken", CsrfMeta(page));
        var dropped = await admin.SendAsync(request);

        Assert.Equal(HttpStatusCode.NoContent, dropped.StatusCode);
        var catalog = await CatalogPipelineAsync(pipeline.Id);
        Assert.Equal(ids, catalog.Stages.Select(s => s.Id));

        // The keyboard way: the third stage one step up.
        var moved = await CrmApp.PostFormAsync(admin, $"/admin/pipelines/{pipeline.Id}", $"/admin/pipelines/{pipeline.Id}/stages/{ids[2]}/move", new Dictionary<string, string> { ["direction"] = "up" });
        Assert.Equal(HttpStatusCode.Redirect, moved.StatusCode);
        catalog = await CatalogPipelineAsync(pipeline.Id);
        Assert.Equal([ids[0], ids[2], ids[1]], catalog.Stages.Take(3).Select(s => s.Id));
        Assert.Equal(Enumerable.Range(0, ids.Count), catalog.Stages.Select(s => s.Position));
    }

    [Fact]
    public async Task Managers_are_refused_on_every_admin_route()
    {
        var pipeline = await DealsData.PipelineAsync(app);
        var stage = pipeline.Stages[0];
        var reason = await app.WithScopeAsync(s => s.GetRequiredService<DealsDbContext>().LossReasons.FirstAsync());
        string[] pages =
        [
            "/admin/pipelines", $"/admin/pipelines/{pipeline.Id}", $"/admin/pipelines/{pipeline.Id}/stages/new",
            $"/admin/pipelines/{pipeline.Id}/stages/{stage.Id}", $"/admin/pipelines/{pipeline.Id}/stages/{stage.Id}/delete",
            "/admin/loss-reasons", $"/admin/loss-reasons/{reason.Id}/edit", "/admin/deals-audit",
        ];
        string[] posts =
        [
            "/admin/pipelines/new", "/admin/pipelines/order", $"/admin/pipelines/{pipeline.Id}", $"/admin/pipelines/{pipeline.Id}/delete",
            $"/admin/pipelines/{pipeline.Id}/move", $"/admin/pipelines/{pipeline.Id}/stages/order", $"/admin/pipelines/{pipeline.Id}/stages/new",
            $"/admin/pipelines/{pipeline.Id}/stages/{stage.Id}", $"/admin/pipelines/{pipeline.Id}/stages/{stage.Id}/delete",
            "/admin/loss-reasons/new", "/admin/loss-reasons/order", $"/admin/loss-reasons/{reason.Id}/archive", $"/admin/loss-reasons/{reason.Id}/edit",
        ];

        foreach (var email in new[] { CrmApp.Anna, CrmApp.Head })
        {
            var client = await app.SignInAsync(email);
            foreach (var url in pages)
            {
                AssertDenied(await client.GetAsync(url), url);
            }

            foreach (var url in posts)
            {
                AssertDenied(await CrmApp.PostFormAsync(client, "/profile", url, new Dictionary<string, string> { ["direction"] = "up", ["New.Name"] = "x" }), url);
            }
        }

        Assert.Equal(stage.Name, (await CatalogPipelineAsync(pipeline.Id)).Stages[0].Name);
    }

    [Fact]
    public async Task A_stage_with_deals_is_deleted_only_after_its_deals_move_to_a_target_stage()
    {
        var admin = await app.SignInAsync(CrmApp.Admin);
        var pipeline = await CreatePipelineAsync(admin, "goods", "Deletion guard");
        var (doomed, target) = (pipeline.Stages[1], pipeline.Stages[2]);
        var deals = new[] { await CreateDealAsync(doomed), await CreateDealAsync(doomed) };

        var page = await admin.GetStringAsync($"/admin/pipelines/{pipeline.Id}/stages/{doomed.Id}/delete");
        Assert.Contains("data-deal-count=\"2\"", page, StringComparison.Ordinal);

        var refused = await CrmApp.PostFormAsync(admin, $"/admin/pipelines/{pipeline.Id}/stages/{doomed.Id}/delete", $"/admin/pipelines/{pipeline.Id}/stages/{doomed.Id}/delete", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("Выберите стадию, куда перейдут её сделки.", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains((await CatalogPipelineAsync(pipeline.Id)).Stages, s => s.Id == doomed.Id);

        // A stage of another kind is not a target: won deals stay won, open ones open.
        var wrongKind = pipeline.Stages.Single(s => s.Kind == StageKind.Won);
        var wrong = await CrmApp.PostFormAsync(admin, $"/admin/pipelines/{pipeline.Id}/stages/{doomed.Id}/delete", $"/admin/pipelines/{pipeline.Id}/stages/{doomed.Id}/delete", new Dictionary<string, string> { ["targetStageId"] = wrongKind.Id.ToString() });
        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);

        var done = await CrmApp.PostFormAsync(admin, $"/admin/pipelines/{pipeline.Id}/stages/{doomed.Id}/delete", $"/admin/pipelines/{pipeline.Id}/stages/{doomed.Id}/delete", new Dictionary<string, string> { ["targetStageId"] = target.Id.ToString() });
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);

        var catalog = await CatalogPipelineAsync(pipeline.Id);
        Assert.DoesNotContain(catalog.Stages, s => s.Id == doomed.Id);
        Assert.Equal(Enumerable.Range(0, catalog.Stages.Count), catalog.Stages.Select(s => s.Position));
        foreach (var deal in deals)
        {
            var saved = await DealsData.ReloadAsync(app, deal.Id);
            Assert.Equal(target.Id, saved.StageId);
            var history = await DealsData.HistoryAsync(app, deal.Id);
            Assert.Equal([doomed.Id, target.Id], history.Select(h => h.StageId));
            Assert.NotNull(history[0].LeftAt);
            Assert.Equal(history[0].LeftAt, history[1].EnteredAt);
            Assert.Null(history[1].LeftAt);
            Assert.Equal(MoveChannels.Settings, history[1].Channel);
            Assert.Equal(saved.StageEnteredAt, history[1].EnteredAt);
        }

        var audit = await app.WithScopeAsync(s => s.GetRequiredService<DealsDbContext>().AuditLog.AsNoTracking()
            .Where(a => a.Action == DealAudit.Actions.Settings && a.Count == 2).OrderByDescending(a => a.At).FirstOrDefaultAsync());
        Assert.NotNull(audit);
        Assert.Contains(doomed.Name, audit.Summary, StringComparison.Ordinal);
        Assert.Contains(target.Name, audit.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pipeline_with_deals_is_not_deleted_and_an_empty_one_is()
    {
        var admin = await app.SignInAsync(CrmApp.Admin);
        var busy = await CreatePipelineAsync(admin, "goods", "Busy pipeline");
        await CreateDealAsync(busy.Stages[0]);
        var empty = await CreatePipelineAsync(admin, NewPipelineEmpty, "Nothing here");

        var refused = await CrmApp.PostFormAsync(admin, $"/admin/pipelines/{busy.Id}", $"/admin/pipelines/{busy.Id}/delete", new Dictionary<string, string>());
        Assert.Equal($"/admin/pipelines/{busy.Id}", refused.Headers.Location!.OriginalString);
        Assert.Contains("нельзя удалить", await admin.GetStringAsync($"/admin/pipelines/{busy.Id}"), StringComparison.Ordinal);
        Assert.NotNull(await app.WithScopeAsync(s => s.GetRequiredService<PipelineCatalog>().FindAsync(busy.Id, CancellationToken.None)));

        Assert.Equal(["Новая", "Выиграна", "Проиграна"], empty.Stages.Select(s => s.Name));
        var deleted = await CrmApp.PostFormAsync(admin, $"/admin/pipelines/{empty.Id}", $"/admin/pipelines/{empty.Id}/delete", new Dictionary<string, string>());
        Assert.Equal("/admin/pipelines", deleted.Headers.Location!.OriginalString);
        Assert.Null(await app.WithScopeAsync(s => s.GetRequiredService<PipelineCatalog>().FindAsync(empty.Id, CancellationToken.None)));
    }

    [Fact]
    public async Task Invalid_stage_and_pipeline_forms_come_back_with_messages_next_to_the_fields()
    {
        var admin = await app.SignInAsync(CrmApp.Admin, acceptLanguage: "ru");
        var pipeline = await CreatePipelineAsync(admin, "goods", "Validated");

        var response = await PostStageAsync(admin, pipeline.Id, null, new Dictionary<string, string>
        {
            ["Form.Name"] = pipeline.Stages[0].Name.ToUpperInvariant(),
            ["Form.Color"] = "red",
            ["Form.Kind"] = "Won",
            ["Form.IsPause"] = "true",
            ["Form.TimeLimitDays"] = "0",
            ["Form.Probability"] = "150",
        });
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("В этой воронке уже есть стадия с таким названием.", html, StringComparison.Ordinal);
        Assert.Contains("Выберите цвет в виде #1a7f5a.", html, StringComparison.Ordinal);
        Assert.Contains("Паузой может быть только открытая стадия.", html, StringComparison.Ordinal);
        Assert.Contains("Введите от 1 до 365 дней или оставьте поле пустым.", html, StringComparison.Ordinal);
        Assert.Contains("Введите вероятность от 0 до 100.", html, StringComparison.Ordinal);
        Assert.Contains("value=\"150\"", html, StringComparison.Ordinal);
        Assert.Equal(9, (await CatalogPipelineAsync(pipeline.Id)).Stages.Count);

        var settings = await CrmApp.PostFormAsync(admin, $"/admin/pipelines/{pipeline.Id}", $"/admin/pipelines/{pipeline.Id}", new Dictionary<string, string>
        {
            ["Form.Name"] = "",
            ["Form.Mode"] = "InOrder",
            ["Form.AllowBack"] = "false",
            ["Form.Currency"] = "RUBL",
        });
        html = await settings.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, settings.StatusCode);
        Assert.Contains("Введите название.", html, StringComparison.Ordinal);
        Assert.Contains("Введите трёхбуквенный код валюты, например RUB.", html, StringComparison.Ordinal);
        Assert.Contains("value=\"RUBL\"", html, StringComparison.Ordinal);

        // The last ordinary open stage cannot turn into a closing one.
        var free = await CreatePipelineAsync(admin, NewPipelineEmpty, "Only one open");
        var last = await PostStageAsync(admin, free.Id, free.Stages[0].Id, new Dictionary<string, string>
        {
            ["Form.Name"] = free.Stages[0].Name,
            ["Form.Color"] = "#112233",
            ["Form.Kind"] = "Lost",
            ["Form.Probability"] = "0",
        });
        Assert.Contains("В воронке должна быть хотя бы одна открытая стадия, которая не пауза.", await last.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_archived_loss_reason_is_not_offered_when_a_deal_is_lost()
    {
        var admin = await app.SignInAsync(CrmApp.Admin);
        var added = await CrmApp.PostFormAsync(admin, "/admin/loss-reasons", "/admin/loss-reasons/new", new Dictionary<string, string> { ["New.Name"] = "Went bankrupt" });
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        var duplicate = await CrmApp.PostFormAsync(admin, "/admin/loss-reasons", "/admin/loss-reasons/new", new Dictionary<string, string> { ["New.Name"] = "went BANKRUPT" });
        Assert.Contains("Такая причина проигрыша уже есть в списке.", await duplicate.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var reason = await app.WithScopeAsync(s => s.GetRequiredService<DealsDbContext>().LossReasons.AsNoTracking().SingleAsync(r => r.Name == "Went bankrupt"));

        var pipeline = await DealsData.PipelineAsync(app);
        var lost = pipeline.Stages.Single(s => s.Kind == StageKind.Lost);
        var deal = await CreateDealAsync(pipeline.Stages[0]);
        var offered = await DealsData.MoveAsync(app, CrmApp.Anna, new MoveCommand(deal.Id, lost.Id, MoveChannels.Page));
        Assert.Contains(offered.Missing!.Single().Options, o => o.Value == reason.Id.ToString());

        var archived = await CrmApp.PostFormAsync(admin, "/admin/loss-reasons", $"/admin/loss-reasons/{reason.Id}/archive", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, archived.StatusCode);

        var asked = await DealsData.MoveAsync(app, CrmApp.Anna, new MoveCommand(deal.Id, lost.Id, MoveChannels.Page));
        Assert.Equal(MoveOutcome.NeedsFields, asked.Outcome);
        var options = asked.Missing!.Single(m => m.Key == MissingField.LossReasonKey).Options;
        Assert.NotEmpty(options);
        Assert.DoesNotContain(options, o => o.Value == reason.Id.ToString());
        var refused = await DealsData.MoveAsync(app, CrmApp.Anna, new MoveCommand(deal.Id, lost.Id, MoveChannels.Page, LossReasonId: reason.Id));
        Assert.NotEqual(MoveOutcome.Moved, refused.Outcome);
        Assert.Contains("Went bankrupt", await admin.GetStringAsync("/admin/loss-reasons"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_deals_audit_log_filters_by_action_and_pages_by_keyset()
    {
        var admin = await app.SignInAsync(CrmApp.Admin);
        var deal = await CreateDealAsync((await DealsData.PipelineAsync(app)).Stages[0]);

        var created = await admin.GetStringAsync("/admin/deals-audit?action=created");
        Assert.Contains($"/deals/{deal.Id}", created, StringComparison.Ordinal);
        Assert.DoesNotContain("data-audit-action=\"settings\"", created, StringComparison.Ordinal);
        // The demo data alone logs hundreds of creations: the first page ends with "show more".
        var next = Regex.Match(created, "href=\"(/admin/deals-audit\\?action=created&amp;user=&amp;after=[0-9a-f-]+)\"");
        Assert.True(next.Success);
        var more = await admin.GetAsync(System.Net.WebUtility.HtmlDecode(next.Groups[1].Value));
        Assert.Equal(HttpStatusCode.OK, more.StatusCode);
        Assert.DoesNotContain($"/deals/{deal.Id}", await more.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private const string NewPipelineEmpty = "empty";

    private async Task<Pipeline> CreatePipelineAsync(HttpClient admin, string template, string name)
    {
        var response = await CrmApp.PostFormAsync(admin, "/admin/pipelines", "/admin/pipelines/new", new Dictionary<string, string> { ["New.Template"] = template, ["New.Name"] = name });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var id = Guid.Parse(response.Headers.Location!.OriginalString.Split('/').Last());
        return await CatalogPipelineAsync(id);
    }

    private Task<Pipeline> CatalogPipelineAsync(Guid id) =>
        app.WithScopeAsync(async s => (await s.GetRequiredService<PipelineCatalog>().FindAsync(id, CancellationToken.None))!);

    private static async Task<HttpResponseMessage> PostStageAsync(HttpClient admin, Guid pipelineId, Guid? stageId, Dictionary<string, string> fields, (string Key, string Value)[]? extra = null)
    {
        var url = stageId is null ? $"/admin/pipelines/{pipelineId}/stages/new" : $"/admin/pipelines/{pipelineId}/stages/{stageId}";
        var html = await admin.GetStringAsync(url);
        var pairs = fields.Select(f => KeyValuePair.Create(f.Key, f.Value))
            .Concat((extra ?? []).Select(e => KeyValuePair.Create(e.Key, e.Value)))
            .Append(KeyValuePair.Create("__RequestVerificationToken", CrmApp.AntiforgeryToken(html)));
        return await admin.PostAsync(url, new FormUrlEncodedContent(pairs));
    }

    private async Task<Deal> CreateDealAsync(Stage stage)
    {
        var owner = await DealsData.UserAsync(app, CrmApp.Anna);
        return await app.WithScopeAsync(async services =>
        {
            using var acting = ActingUser.As(owner.Id, owner.FullName);
            var deal = new Deal { Title = "Admin test " + Guid.NewGuid().ToString("N")[..6], OwnerId = owner.Id, OwnerDepartmentId = owner.DepartmentId };
            await services.GetRequiredService<DealCreation>().AddAsync(deal, stage, MoveChannels.Page, CancellationToken.None);
            await services.GetRequiredService<DealsDbContext>().SaveChangesAsync();
            return deal;
        });
    }

    private Task<bool> AuditedAsync(string text) =>
        app.WithScopeAsync(s => s.GetRequiredService<DealsDbContext>().AuditLog.AnyAsync(a => a.Action == DealAudit.Actions.Settings && a.Summary.Contains(text)));

    private static string CsrfMeta(string html) => CsrfMetaPattern().Match(html).Groups[1].Value;

    [GeneratedRegex("<meta name=\"csrf-token\" content=\"([^\"]+)\"")]
    private static partial Regex CsrfMetaPattern();

    private static void AssertDenied(HttpResponseMessage response, string url)
    {
        Assert.True(
            response.StatusCode == HttpStatusCode.Forbidden
            || (response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.OriginalString.Contains("/account/denied", StringComparison.Ordinal)),
            $"{url}: {(int)response.StatusCode} {response.Headers.Location}");
    }
}

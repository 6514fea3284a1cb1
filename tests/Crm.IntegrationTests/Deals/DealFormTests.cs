using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Crm.Deals.Audit;
using Crm.Deals.Data;
using Crm.Deals.Domain;
using Crm.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Crm.IntegrationTests.Deals;

/// <summary>The deal form: create and edit through the page, messages next to the fields, line items, conflicts.</summary>
public sealed partial class DealFormTests(CrmApp app) : IClassFixture<CrmApp>
{
    // Goods sale: 0 initial interest, 1 proposal, 2 negotiation, 3 proposal approved (requires amount).
    internal static Dictionary<string, string> Form(Pipeline pipeline, int stage, string title, params (string Key, string Value)[] more)
    {
        var fields = new Dictionary<string, string>
        {
            ["Form.Title"] = title,
            ["Form.PipelineId"] = pipeline.Id.ToString(),
            ["Form.StageId"] = pipeline.Stages[stage].Id.ToString(),
            ["Form.Currency"] = "RUB",
        };
        foreach (var (key, value) in more)
        {
            fields["Form." + key] = value;
        }

        return fields;
    }

    [Fact]
    public async Task Bad_input_comes_back_next_to_its_fields_in_russian_and_creates_nothing()
    {
        var pipeline = await DealsData.PipelineAsync(app);
        var anna = await app.SignInAsync(CrmApp.Anna);
        var title = "Сделка без ошибок " + Guid.NewGuid().ToString("N")[..6];

        var response = await CrmApp.PostFormAsync(anna, "/deals/new", "/deals/new", Form(pipeline, 0, "",
            ("Amount", "много"), ("Currency", "рубли"), ("Probability", "150"), ("ExpectedClose", "вчера"), ("Source", "Telepathy")));
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Введите название сделки.", html, StringComparison.Ordinal);
        Assert.Contains("Введите сумму, например 150 000,50.", html, StringComparison.Ordinal);
        Assert.Contains("Введите трёхбуквенный код валюты, например RUB.", html, StringComparison.Ordinal);
        Assert.Contains("Введите вероятность от 0 до 100.", html, StringComparison.Ordinal);
        Assert.Contains("Введите дату, например 31.12.2026.", html, StringComparison.Ordinal);
        Assert.Contains("Выберите значение из списка.", html, StringComparison.Ordinal);
        Assert.Contains("value=\"много\"", html, StringComparison.Ordinal);

        var second = await CrmApp.PostFormAsync(anna, "/deals/new", "/deals/new", Form(pipeline, 0, title,
            ("Items[0].Name", ""), ("Items[0].Price", "abc"), ("Items[1].Name", "Доставка"), ("Items[1].Price", "100"), ("Items[1].Discount", "120")));
        var secondHtml = WebUtility.HtmlDecode(await second.Content.ReadAsStringAsync());
        Assert.Contains("Укажите товар или услугу.", secondHtml, StringComparison.Ordinal);
        Assert.Contains("Введите цену, например 1 500,00.", secondHtml, StringComparison.Ordinal);
        Assert.Contains("Введите скидку от 0 до 100 %.", secondHtml, StringComparison.Ordinal);
        Assert.False(await app.WithScopeAsync(s => s.GetRequiredService<DealsDbContext>().Deals.AnyAsync(d => d.Title == title)));
    }

    [Fact]
    public async Task The_chosen_stages_required_fields_apply_on_create_and_only_open_stages_are_taken()
    {
        var pipeline = await DealsData.PipelineAsync(app);
        var anna = await app.SignInAsync(CrmApp.Anna);

        var response = await CrmApp.PostFormAsync(anna, "/deals/new", "/deals/new", Form(pipeline, 3, "Нужна сумма"));
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains($"Стадия «{pipeline.Stages[3].Name}» требует это поле.", html, StringComparison.Ordinal);

        var won = pipeline.Stages.FindIndex(s => s.Kind == StageKind.Won);
        var closed = await CrmApp.PostFormAsync(anna, "/deals/new", "/deals/new", Form(pipeline, won, "Сразу выиграна", ("Amount", "100")));
        Assert.Contains("Выберите открытую стадию воронки.", WebUtility.HtmlDecode(await closed.Content.ReadAsStringAsync()), StringComparison.Ordinal);

        var created = await CrmApp.PostFormAsync(anna, "/deals/new", "/deals/new", Form(pipeline, 3, "С суммой", ("Amount", "150 000,50")));
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var deal = await DealsData.ReloadAsync(app, DealId(created));
        Assert.Equal(150_000.50m, deal.Amount);
        Assert.Equal(pipeline.Stages[3].Id, deal.StageId);
        Assert.Single(await DealsData.HistoryAsync(app, deal.Id));
    }

    [Fact]
    public async Task Line_items_sum_to_the_amount_whatever_amount_was_typed()
    {
        var pipeline = await DealsData.PipelineAsync(app);
        var anna = await app.SignInAsync(CrmApp.Anna);

        var created = await CrmApp.PostFormAsync(anna, "/deals/new", "/deals/new", Form(pipeline, 0, "Поставка насосов", ("Amount", "1"),
            ("Items[0].Name", "Насос"), ("Items[0].Quantity", "2"), ("Items[0].Unit", "шт"), ("Items[0].Price", "1 000,00"), ("Items[0].Discount", "10"), ("Items[0].Vat", "20"),
            ("Items[1].Name", "Монтаж"), ("Items[1].Quantity", "1"), ("Items[1].Price", "500.50"), ("Items[2].Name", ""), ("Items[2].Quantity", "1")));

        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var deal = await DealsData.ReloadAsync(app, DealId(created));
        Assert.Equal(2_300.50m, deal.Amount);
        Assert.Equal(["Насос", "Монтаж"], deal.Items.OrderBy(i => i.Position).Select(i => i.Name));
        var card = WebUtility.HtmlDecode(await anna.GetStringAsync("/deals/" + deal.Id));
        Assert.Contains("2\u202f300,50", card, StringComparison.Ordinal);
        Assert.Contains("Поставка насосов", card, StringComparison.Ordinal);

        // Editing the items changes the amount; removing them all lets the amount be typed again.
        var fields = await FormFieldsAsync(anna, $"/deals/{deal.Id}/edit");
        fields["Form.Items[1].Price"] = "1000";
        var edited = await CrmApp.PostFormAsync(anna, $"/deals/{deal.Id}/edit", $"/deals/{deal.Id}/edit", fields);
        Assert.Equal(HttpStatusCode.Redirect, edited.StatusCode);
        Assert.Equal(2_800m, (await DealsData.ReloadAsync(app, deal.Id)).Amount);

        fields = await FormFieldsAsync(anna, $"/deals/{deal.Id}/edit");
        foreach (var key in fields.Keys.Where(k => k.StartsWith("Form.Items[", StringComparison.Ordinal)).ToList())
        {
            fields[key] = "";
        }

        fields["Form.Amount"] = "999";
        await CrmApp.PostFormAsync(anna, $"/deals/{deal.Id}/edit", $"/deals/{deal.Id}/edit", fields);
        var plain = await DealsData.ReloadAsync(app, deal.Id);
        Assert.Empty(plain.Items);
        Assert.Equal(999m, plain.Amount);
    }

    [Fact]
    public async Task A_save_on_a_stale_version_is_a_conflict_never_a_silent_overwrite()
    {
        var deal = await DealsData.CreateAsync(app, CrmApp.Anna);
        var anna = await app.SignInAsync(CrmApp.Anna);
        var loaded = await FormFieldsAsync(anna, $"/deals/{deal.Id}/edit");

        var first = new Dictionary<string, string>(loaded) { ["Form.Title"] = "Первая правка" };
        Assert.Equal(HttpStatusCode.Redirect, (await CrmApp.PostFormAsync(anna, $"/deals/{deal.Id}/edit", $"/deals/{deal.Id}/edit", first)).StatusCode);

        var second = new Dictionary<string, string>(loaded) { ["Form.Title"] = "Вторая правка" };
        var response = await CrmApp.PostFormAsync(anna, $"/deals/{deal.Id}/edit", $"/deals/{deal.Id}/edit", second);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Кто-то изменил эту сделку, пока вы работали.", WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal("Первая правка", (await DealsData.ReloadAsync(app, deal.Id)).Title);
    }

    [Fact]
    public async Task An_edit_writes_old_and_new_values_to_the_timeline_and_the_audit_log()
    {
        var deal = await DealsData.CreateAsync(app, CrmApp.Anna, configure: d => d.Title = "Старое название");
        var anna = await app.SignInAsync(CrmApp.Anna);
        var fields = await FormFieldsAsync(anna, $"/deals/{deal.Id}/edit");
        fields["Form.Title"] = "Новое название";
        fields["Form.PaymentForm"] = "Cash";

        Assert.Equal(HttpStatusCode.Redirect, (await CrmApp.PostFormAsync(anna, $"/deals/{deal.Id}/edit", $"/deals/{deal.Id}/edit", fields)).StatusCode);

        var (timeline, audit) = await app.WithScopeAsync(async s =>
        {
            var db = s.GetRequiredService<DealsDbContext>();
            return (await db.Timeline.Where(t => t.DealId == deal.Id && t.Kind == "changed").SingleAsync(),
                await db.AuditLog.Where(a => a.DealId == deal.Id && a.Action == DealAudit.Actions.Changed).SingleAsync());
        });
        Assert.Contains("Название: Старое название → Новое название", timeline.Text, StringComparison.Ordinal);
        Assert.Contains("Форма оплаты: — → Наличные", timeline.Text, StringComparison.Ordinal);
        Assert.Contains("Название: Старое название → Новое название", audit.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_client_picker_suggests_only_clients_within_the_users_scope_and_the_server_rechecks_the_id()
    {
        var anna = await app.SignInAsync(CrmApp.Anna);
        var companyName = "ООО «Пикер " + Guid.NewGuid().ToString("N")[..6] + "»";
        var company = await ClientEventsForDealsTests.CreateCompanyAsync(anna, companyName);
        var ivan = await app.SignInAsync(CrmApp.Ivan);

        var found = await anna.GetFromJsonAsync<JsonElement>("/deals/clients?kind=company&q=" + Uri.EscapeDataString(companyName));
        Assert.Contains(found.EnumerateArray(), e => e.GetProperty("id").GetGuid() == company);
        var hidden = await ivan.GetFromJsonAsync<JsonElement>("/deals/clients?kind=company&q=" + Uri.EscapeDataString(companyName));
        Assert.DoesNotContain(hidden.EnumerateArray(), e => e.GetProperty("id").GetGuid() == company);
        Assert.Equal(HttpStatusCode.BadRequest, (await anna.GetAsync("/deals/clients?kind=planet&q=x")).StatusCode);

        var pipeline = await DealsData.PipelineAsync(app);
        var foreign = await CrmApp.PostFormAsync(ivan, "/deals/new", "/deals/new", Form(pipeline, 0, "Чужая компания", ("CompanyId", company.ToString()), ("CompanyName", companyName)));
        Assert.Contains("Выберите компанию из подсказок.", WebUtility.HtmlDecode(await foreign.Content.ReadAsStringAsync()), StringComparison.Ordinal);

        // Typed without choosing a suggestion: the one company of exactly that name is taken.
        var typed = await CrmApp.PostFormAsync(anna, "/deals/new", "/deals/new", Form(pipeline, 0, "По названию", ("CompanyName", companyName)));
        Assert.Equal(HttpStatusCode.Redirect, typed.StatusCode);
        var deal = await DealsData.ReloadAsync(app, DealId(typed));
        Assert.Equal(company, deal.CompanyId);
        Assert.Equal(companyName, deal.CompanyName);
    }

    [Fact]
    public async Task The_form_starts_with_the_client_and_the_pipelines_currency_and_a_manager_cannot_give_the_deal_to_a_colleague()
    {
        var anna = await app.SignInAsync(CrmApp.Anna);
        var companyName = "ООО «Старт " + Guid.NewGuid().ToString("N")[..6] + "»";
        var company = await ClientEventsForDealsTests.CreateCompanyAsync(anna, companyName);

        var html = WebUtility.HtmlDecode(await anna.GetStringAsync("/deals/new?company=" + company));
        Assert.Contains($"value=\"{companyName}\"", html, StringComparison.Ordinal);
        Assert.Contains($"value=\"{company}\"", html, StringComparison.Ordinal);
        Assert.Contains("value=\"RUB\"", html, StringComparison.Ordinal);

        var ivan = await DealsData.UserAsync(app, CrmApp.Ivan);
        var pipeline = await DealsData.PipelineAsync(app);
        var response = await CrmApp.PostFormAsync(anna, "/deals/new", "/deals/new", Form(pipeline, 0, "Для Ивана", ("OwnerId", ivan.Id.ToString())));
        Assert.Contains("Выберите ответственного из списка.", WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_new_deal_from_the_form_or_the_api_is_told_on_its_clients_card_and_its_amount_shows_in_the_users_culture()
    {
        var anna = await app.SignInAsync(CrmApp.Anna);
        var companyName = "ООО «Лента " + Guid.NewGuid().ToString("N")[..6] + "»";
        var company = await ClientEventsForDealsTests.CreateCompanyAsync(anna, companyName);
        var pipeline = await DealsData.PipelineAsync(app);
        var title = "Сделка для ленты " + Guid.NewGuid().ToString("N")[..6];

        var created = await CrmApp.PostFormAsync(anna, "/deals/new", "/deals/new", Form(pipeline, 0, title,
            ("CompanyId", company.ToString()), ("CompanyName", companyName), ("Amount", "107 800,45")));
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var id = DealId(created);
        Assert.Equal(107_800.45m, (await DealsData.ReloadAsync(app, id)).Amount);

        var api = await app.ApiClientAsync(CrmApp.Anna, "ru");
        var byApi = await api.PostAsJsonAsync("/api/v1/deals", new { title = title + " API", companyId = company });
        Assert.Equal(HttpStatusCode.Created, byApi.StatusCode);

        var card = WebUtility.HtmlDecode(await anna.GetStringAsync($"/companies/{company}"));
        Assert.Contains($"Создана сделка «{title}»", card, StringComparison.Ordinal);
        Assert.Contains($"Создана сделка «{title} API»", card, StringComparison.Ordinal);

        // The form shows the amount as Russian writes it, and saving it as shown keeps it.
        var fields = await FormFieldsAsync(anna, $"/deals/{id}/edit");
        Assert.Matches("^107[ \u00a0\u202f]800,45$", fields["Form.Amount"]);
        fields["Form.Probability"] = "30";
        Assert.Equal(HttpStatusCode.Redirect, (await CrmApp.PostFormAsync(anna, $"/deals/{id}/edit", $"/deals/{id}/edit", fields)).StatusCode);
        var saved = await DealsData.ReloadAsync(app, id);
        Assert.Equal(107_800.45m, saved.Amount);
        Assert.Equal(30, saved.Probability);
    }

    internal static Guid DealId(HttpResponseMessage created) =>
        Guid.Parse(DealLink().Match(created.Headers.Location!.OriginalString).Groups[1].Value);

    /// <summary>The fields of the form on a page, as a browser would send them back.</summary>
    internal static async Task<Dictionary<string, string>> FormFieldsAsync(HttpClient client, string url)
    {
        var html = await client.GetStringAsync(url);
        var fields = new Dictionary<string, string>();
        foreach (Match input in InputField().Matches(html))
        {
            fields[input.Groups["name"].Value] = WebUtility.HtmlDecode(input.Groups["value"].Value);
        }

        foreach (Match select in SelectedOption().Matches(html))
        {
            fields[select.Groups["name"].Value] = select.Groups["value"].Value;
        }

        fields.Remove("Form.Switch");
        return fields;
    }

    [GeneratedRegex("^/deals/([0-9a-f-]{36})$")]
    private static partial Regex DealLink();

    [GeneratedRegex("<input[^>]*name=\"(?<name>Form\\.[^\"]+)\"[^>]*value=\"(?<value>[^\"]*)\"")]
    private static partial Regex InputField();

    [GeneratedRegex("<select[^>]*name=\"(?<name>Form\\.[^\"]+)\"[^>]*>(?:(?!</select>)[\\s\\S])*?<option value=\"(?<value>[^\"]*)\" selected=\"selected\"")]
    private static partial Regex SelectedOption();
}

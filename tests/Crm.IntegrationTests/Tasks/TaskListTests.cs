using System.IO.Compression;
using System.Net;
using System.Text.RegularExpressions;
using Crm.Identity.Access;
using Crm.Identity.Data;
using Crm.Identity.Domain;
using Crm.SharedKernel.Access;
using Crm.Tasks.Domain;
using Crm.Tasks.Editing;
using Crm.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Crm.IntegrationTests.Tasks;

/// <summary>The tasks list page: filters, scope, the user's days, the export and its right.</summary>
public sealed partial class TaskListTests(CrmApp app) : IClassFixture<CrmApp>
{
    private static string Token(string prefix) => prefix + " " + Guid.NewGuid().ToString("N")[..8];

    [GeneratedRegex("data-task=\"([0-9a-f-]{36})\"")]
    private static partial Regex RowId();

    private static List<Guid> RowIds(string html) => RowId().Matches(html).Select(m => Guid.Parse(m.Groups[1].Value)).ToList();

    [Fact]
    public async Task A_manager_sees_their_own_tasks_by_due_time_and_a_head_filters_by_assignee()
    {
        var token = Token("Список");
        var now = DateTimeOffset.UtcNow;
        var later = await TasksData.CreateAsync(app, CrmApp.Anna, new TaskInput { Title = token + " позже", DueAt = now.AddDays(3) });
        var sooner = await TasksData.CreateAsync(app, CrmApp.Anna, new TaskInput { Title = token + " раньше", DueAt = now.AddDays(1), Kind = TaskKind.Call });
        var overdue = await TasksData.CreateAsync(app, CrmApp.Anna, new TaskInput { Title = token + " просрочена", DueAt = now.AddDays(-1) });
        var ivans = await TasksData.CreateAsync(app, CrmApp.Ivan, new TaskInput { Title = token + " Ивана", DueAt = now.AddDays(2) });
        var q = "?q=" + Uri.EscapeDataString(token);

        var anna = await app.SignInAsync(CrmApp.Anna);
        var html = await anna.GetStringAsync("/tasks/list" + q);

        Assert.Equal([overdue.Id, sooner.Id, later.Id], RowIds(html));
        Assert.Contains("crm-overdue", html, StringComparison.Ordinal);
        Assert.Contains("/tasks/" + sooner.Id, html, StringComparison.Ordinal);
        Assert.Equal([sooner.Id], RowIds(await anna.GetStringAsync("/tasks/list" + q + "&kind=call")));
        Assert.Equal([overdue.Id], RowIds(await anna.GetStringAsync("/tasks/list" + q + "&overdue=true")));

        var head = await app.SignInAsync(CrmApp.Head);
        Assert.Equal([overdue.Id, sooner.Id, ivans.Id, later.Id], RowIds(await head.GetStringAsync("/tasks/list" + q)));
        Assert.Equal([ivans.Id], RowIds(await head.GetStringAsync("/tasks/list" + q + "&assignee=" + ivans.AssigneeId)));
        Assert.Empty(RowIds(await anna.GetStringAsync("/tasks/list" + q + "&assignee=" + ivans.AssigneeId)));
    }

    [Fact]
    public async Task The_period_is_read_in_the_users_time_zone_and_done_tasks_need_their_status()
    {
        // 2030-03-10 23:30 in Moscow is still the 10th there, but already the 10th 20:30 UTC; 00:30 on the 11th is the 10th 21:30 UTC.
        var token = Token("Период");
        var lateOnTenth = await TasksData.CreateAsync(app, CrmApp.Anna, new TaskInput { Title = token + " 10-го", DueAt = new DateTimeOffset(2030, 3, 10, 23, 30, 0, TimeSpan.FromHours(3)) });
        var earlyOnEleventh = await TasksData.CreateAsync(app, CrmApp.Anna, new TaskInput { Title = token + " 11-го", DueAt = new DateTimeOffset(2030, 3, 11, 0, 30, 0, TimeSpan.FromHours(3)) });
        var done = await TasksData.CreateAsync(app, CrmApp.Anna, new TaskInput { Title = token + " сделана", DueAt = new DateTimeOffset(2030, 3, 10, 12, 0, 0, TimeSpan.FromHours(3)) });
        await TasksData.CompleteAsync(app.Services, CrmApp.Anna, done.Id, "Готово");
        var anna = await app.SignInAsync(CrmApp.Anna);
        var q = "?q=" + Uri.EscapeDataString(token);

        Assert.Equal([lateOnTenth.Id], RowIds(await anna.GetStringAsync("/tasks/list" + q + "&dueFrom=2030-03-10&dueTo=2030-03-10")));
        Assert.Equal([earlyOnEleventh.Id], RowIds(await anna.GetStringAsync("/tasks/list" + q + "&dueFrom=2030-03-11")));
        Assert.Equal([done.Id], RowIds(await anna.GetStringAsync("/tasks/list" + q + "&status=done")));
        Assert.Equal([done.Id, lateOnTenth.Id, earlyOnEleventh.Id], RowIds(await anna.GetStringAsync("/tasks/list" + q + "&status=all")));
    }

    [Fact]
    public async Task A_linked_record_opens_at_its_modules_address_only_for_those_who_may_see_it()
    {
        var company = await TasksData.ClientAsync(app.Services, CrmApp.Anna, Crm.Clients.Contracts.ClientKind.Company);
        var url = $"/tasks/link/company/{company.Id}";

        var byAnna = await (await app.SignInAsync(CrmApp.Anna)).GetAsync(url);
        var byIvan = await (await app.SignInAsync(CrmApp.Ivan)).GetAsync(url);

        Assert.Equal(HttpStatusCode.Redirect, byAnna.StatusCode);
        Assert.Equal(company.Url, byAnna.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, byIvan.StatusCode);
        Assert.Equal("/tasks/list", byIvan.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task An_empty_list_says_what_to_do_and_bad_filters_are_explained_not_a_500()
    {
        var anna = await app.SignInAsync(CrmApp.Anna);

        var empty = await anna.GetAsync("/tasks/list?q=" + Uri.EscapeDataString(Token("Ничего")));
        var bad = await anna.GetAsync("/tasks/list?dueFrom=31.02&assignee=nope&cursor=garbage&kind=urgent&status=later&linkKind=planet&overdue=maybe");

        Assert.Equal(HttpStatusCode.OK, empty.StatusCode);
        Assert.Contains("data-empty", await empty.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, bad.StatusCode);
        var html = await bad.Content.ReadAsStringAsync();
        Assert.Contains("invalid-feedback", html, StringComparison.Ordinal);
        Assert.Contains("call, meeting, email, todo", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Show_more_loads_the_next_page_after_the_last_row()
    {
        var token = Token("Страницы");
        var now = DateTimeOffset.UtcNow;
        var ids = new List<Guid>();
        for (var i = 0; i < 52; i++)
        {
            ids.Add((await TasksData.CreateAsync(app, CrmApp.Ivan, new TaskInput { Title = $"{token} {i}", DueAt = now.AddHours(i + 1) })).Id);
        }

        var ivan = await app.SignInAsync(CrmApp.Ivan);
        var first = await ivan.GetStringAsync("/tasks/list?q=" + Uri.EscapeDataString(token));
        var more = Regex.Match(first, "class=\"crm-more\"[\\s\\S]*?hx-get=\"([^\"]+)\"").Groups[1].Value.Replace("&amp;", "&", StringComparison.Ordinal);
        var request = new HttpRequestMessage(HttpMethod.Get, more);
        request.Headers.Add("HX-Request", "true");
        var second = await (await ivan.SendAsync(request)).Content.ReadAsStringAsync();

        Assert.Equal(ids.Take(50), RowIds(first));
        Assert.Equal(ids.Skip(50), RowIds(second));
        Assert.DoesNotContain("<html", second, StringComparison.Ordinal);
        Assert.DoesNotContain("crm-more", second, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_export_holds_the_filtered_tasks_in_the_users_language_and_time_zone()
    {
        var token = Token("Выгрузка");
        var mine = await TasksData.CreateAsync(app, CrmApp.Anna, new TaskInput { Title = token + " звонок", Kind = TaskKind.Call, DueAt = new DateTimeOffset(2030, 5, 6, 7, 0, 0, TimeSpan.Zero) });
        await TasksData.CreateAsync(app, CrmApp.Ivan, new TaskInput { Title = token + " Ивана" });
        var anna = await app.SignInAsync(CrmApp.Anna, acceptLanguage: "ru");

        var response = await anna.GetAsync("/tasks/list/export?q=" + Uri.EscapeDataString(token));
        var sheet = await ReadSheetAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(2, Regex.Count(sheet, "<x:row |<row "));
        Assert.Contains(mine.Title, sheet, StringComparison.Ordinal);
        Assert.DoesNotContain("Ивана", sheet, StringComparison.Ordinal);
        Assert.Contains("Звонок", sheet, StringComparison.Ordinal);
        Assert.Contains("Открыта", sheet, StringComparison.Ordinal);
        Assert.Contains("06.05.2030 10:00", sheet, StringComparison.Ordinal);
    }

    internal static async Task<string> ReadSheetAsync(HttpResponseMessage response)
    {
        using var zip = new ZipArchive(new MemoryStream(await response.Content.ReadAsByteArrayAsync()));
        var parts = new List<string>();
        foreach (var entry in zip.Entries.Where(e => e.FullName.StartsWith("xl/worksheets/sheet", StringComparison.Ordinal) || e.FullName == "xl/sharedStrings.xml"))
        {
            using var reader = new StreamReader(entry.Open());
            parts.Add(await reader.ReadToEndAsync());
        }

        return string.Join("\n", parts);
    }
}

/// <summary>Without the export right the export is refused with a message (its own app: the right is taken from the manager role).</summary>
public sealed class TaskExportRightTests(CrmApp app) : IClassFixture<CrmApp>
{
    [Fact]
    public async Task The_export_is_refused_with_a_message_to_a_role_without_the_export_right()
    {
        await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<IdentityDbContext>();
            var manager = await db.Roles.SingleAsync(r => r.Name == BuiltInRoles.Manager);
            db.RoleScopes.Add(new RoleScope { RoleId = manager.Id, EntityKind = EntityKinds.Task, Action = AccessAction.Export, Scope = AccessScope.None });
            await db.SaveChangesAsync();
            services.GetRequiredService<AccessRules>().ScopesChanged();
        });
        var ivan = await app.SignInAsync(CrmApp.Ivan);

        var export = await ivan.GetAsync("/tasks/list/export?kind=call");
        Assert.Equal(HttpStatusCode.Redirect, export.StatusCode);
        Assert.Equal("/tasks/list?kind=call", export.Headers.Location!.OriginalString);
        var list = await ivan.GetStringAsync("/tasks/list?kind=call");

        Assert.Contains("Вашей роли нельзя выгружать задачи.", list, StringComparison.Ordinal);
        Assert.DoesNotContain("/tasks/list/export", list, StringComparison.Ordinal);
    }
}

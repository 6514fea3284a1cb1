using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Crm.Clients.Data;
using Crm.Clients.Import;
using Crm.Clients.Jobs;
using Crm.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Crm.IntegrationTests.Clients;

/// <summary>Import through the pages: upload, mapping, the job (run here by the test), the result and the rejected rows.</summary>
public sealed class ImportTests(CrmApp app) : IClassFixture<CrmApp>
{
    [Fact]
    public async Task A_workbook_with_a_merged_title_numeric_phones_and_empty_rows_imports_every_row_or_says_why_not()
    {
        var anna = await app.SignInAsync(CrmApp.Anna);
        var file = ImportFiles.Xlsx(
        [
            ["Список компаний на 01.11", null, null, null],
            ["Название", "ИНН", "Телефон", "E-mail"],
            ["Импорт Альфа", "7707083893", 79161234501L, "alfa@import.test"],
            [null, null, null, null],
            ["Импорт Бета", 500100733L, 89161234502L, "beta@import.test"],
            ["Импорт Гамма", "1234567890", "+7 916 123-45-03", "gamma@import.test"],
            [null, "7736207543", "12", "not-an-email"],
        ], "A1:D1");

        var id = await UploadAsync(anna, "companies", "companies.xlsx", file);
        var import = await FindAsync(id);
        Assert.Equal(["name", "inn", "phones", "emails"], import.Columns.Select(c => c.Field));

        var mapping = await anna.GetStringAsync($"/imports/{id}/mapping");
        Assert.Equal(4, Regex.Count(mapping, "data-preview-row="));
        Assert.Contains("data-problem", mapping, StringComparison.Ordinal);

        await StartAsync(anna, id, import.Columns.Select(c => c.Field), "Skip", "Inn");
        await RunAsync(id);

        import = await FindAsync(id);
        Assert.Equal(ImportStatus.Done, import.Status);
        Assert.Equal((4, 2, 0, 0, 2), (import.Total, import.Imported, import.Updated, import.Skipped, import.Rejected));
        var companies = await app.WithScopeAsync(s => s.GetRequiredService<ClientsDbContext>().Companies.Where(c => c.Name.StartsWith("Импорт ")).OrderBy(c => c.Name).ToListAsync());
        Assert.Equal(["Импорт Альфа", "Импорт Бета"], companies.Select(c => c.Name));
        Assert.Equal(["+79161234501"], companies[0].Phones);
        // An INN typed as a number lost its leading zero; it comes back.
        Assert.Equal("0500100733", companies[1].Inn);

        var result = await anna.GetStringAsync($"/imports/{id}");
        Assert.Contains("data-count=\"rejected\">2<", result, StringComparison.Ordinal);
        var rejected = await anna.GetAsync($"/imports/{id}/rejected");
        Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);
        var sheet = await SheetXmlAsync(rejected);
        Assert.Contains("ИНН — 10 или 12 цифр", sheet, StringComparison.Ordinal);
        Assert.Contains("Введите название компании.", sheet, StringComparison.Ordinal);
        Assert.Contains("Импорт Гамма", sheet, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_windows_1251_csv_with_semicolons_is_read_as_such()
    {
        var anna = await app.SignInAsync(CrmApp.Anna);
        var csv = ImportFiles.Csv("ФИО;Должность;Телефон;Почта\r\nСеменова Ольга Ивановна;Главный бухгалтер;8 (916) 555-01-01;\"olga;semenova@csv.test\"\r\n;;;\r\nКрылов Пётр;\"Директор; владелец\";79165550102;krylov@csv.test\r\n", "windows-1251");

        var id = await UploadAsync(anna, "contacts", "contacts.csv", csv);
        var import = await FindAsync(id);
        Assert.Equal(["full_name", "position", "phones", "emails"], import.Columns.Select(c => c.Field));
        await StartAsync(anna, id, import.Columns.Select(c => c.Field), "Create", "Email");
        await RunAsync(id);

        import = await FindAsync(id);
        Assert.Equal((2, 1, 1), (import.Total, import.Imported, import.Rejected));
        var krylov = await app.WithScopeAsync(s => s.GetRequiredService<ClientsDbContext>().Contacts.SingleAsync(c => c.FullName == "Крылов Пётр"));
        Assert.Equal("Директор; владелец", krylov.Position);
        Assert.Equal(["+79165550102"], krylov.Phones);
    }

    public static TheoryData<string, string, string> BadFiles => new()
    {
        { "damaged.xlsx", "damaged", "не читается" },
        { "bomb.xlsx", "bomb", "zip-бомбу" },
        { "secret.xlsx", "password", "защищена паролем" },
        { "old.xls", "xls", "Загрузите файл .xlsx или .csv." },
        { "old.xlsx", "xls", "старый файл Excel (.xls)" },
        { "empty.csv", "empty", "Файл пустой." },
        { "blank.csv", "blank", "В файле нет строк." },
        { "picture.csv", "binary", "не текстовый файл (CSV)" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task A_bad_file_gets_a_clear_message_and_leaves_nothing(string fileName, string content, string message)
    {
        var anna = await app.SignInAsync(CrmApp.Anna);
        var bytes = content switch
        {
            "damaged" => [.. ImportFiles.Xlsx([["Name"], ["A"]]).Take(300)],
            "bomb" => ImportFiles.ZipBomb(40),
            "password" => ImportFiles.PasswordProtected(),
            "xls" => ImportFiles.OldXls(),
            "empty" => [],
            "blank" => "\r\n;;\r\n"u8.ToArray(),
            _ => [0x89, 0x50, 0x4E, 0x47, 0, 0, 0, 0],
        };
        var before = await app.WithScopeAsync(s => s.GetRequiredService<ClientsDbContext>().Imports.CountAsync());

        var response = await PostUploadAsync(anna, "companies", fileName, bytes);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains("data-import-error", html, StringComparison.Ordinal);
        Assert.Contains(message, html, StringComparison.Ordinal);
        Assert.Equal(before, await app.WithScopeAsync(s => s.GetRequiredService<ClientsDbContext>().Imports.CountAsync()));
    }

    [Fact]
    public async Task Duplicates_are_skipped_updated_or_created_by_the_chosen_key_and_the_counts_add_up()
    {
        var anna = await app.SignInAsync(CrmApp.Anna);
        var first = ImportFiles.Xlsx(
        [
            ["Название", "Электронная почта", "Отрасль"],
            ["Дубль Один", "one@dup.test", "Логистика"],
            ["Дубль Два", "two@dup.test", ""],
        ]);
        var seed = await UploadAsync(anna, "companies", "first.xlsx", first);
        await StartAsync(anna, seed, ["name", "emails", "industry"], "Skip", "Email");
        await RunAsync(seed);

        var second = ImportFiles.Xlsx(
        [
            ["Название", "Электронная почта", "Отрасль"],
            ["Дубль Один (новое имя)", "ONE@dup.test", "Ритейл"],
            ["Дубль Три", "three@dup.test", ""],
            ["Дубль Три ещё раз", "three@dup.test", ""],
        ]);
        var skip = await UploadAsync(anna, "companies", "second.xlsx", second);
        await StartAsync(anna, skip, ["name", "emails", "industry"], "Skip", "Email");
        await RunAsync(skip);
        var skipped = await FindAsync(skip);
        Assert.Equal((3, 1, 0, 2, 0), (skipped.Total, skipped.Imported, skipped.Updated, skipped.Skipped, skipped.Rejected));

        var update = await UploadAsync(anna, "companies", "second.xlsx", second);
        await StartAsync(anna, update, ["name", "emails", "industry"], "Update", "Email");
        await RunAsync(update);
        var updated = await FindAsync(update);
        Assert.Equal((3, 0, 3, 0, 0), (updated.Total, updated.Imported, updated.Updated, updated.Skipped, updated.Rejected));
        var one = await app.WithScopeAsync(s => s.GetRequiredService<ClientsDbContext>().Companies.SingleAsync(c => c.Emails.Contains("one@dup.test")));
        Assert.Equal(("Дубль Один (новое имя)", "Ритейл"), (one.Name, one.Industry));
        var history = await app.WithScopeAsync(s => s.GetRequiredService<ClientsDbContext>().Timeline.Where(e => e.RecordId == one.Id).Select(e => e.Kind + ":" + e.Text).ToListAsync());
        Assert.Contains(history, h => h.StartsWith("changed:", StringComparison.Ordinal) && h.Contains("Логистика → Ритейл", StringComparison.Ordinal));

        var create = await UploadAsync(anna, "companies", "second.xlsx", second);
        await StartAsync(anna, create, ["name", "emails", "industry"], "Create", "Email");
        await RunAsync(create);
        var created = await FindAsync(create);
        Assert.Equal((3, 3, 0, 0, 0), (created.Total, created.Imported, created.Updated, created.Skipped, created.Rejected));
    }

    [Fact]
    public async Task An_update_never_touches_a_record_out_of_the_users_reach()
    {
        var ivan = await app.SignInAsync(CrmApp.Ivan);
        var ivans = await UploadAsync(ivan, "contacts", "ivan.csv", ImportFiles.Csv("ФИО,E-mail\r\nКлиент Ивана,ivan-client@scope.test\r\n", "utf-8"));
        await StartAsync(ivan, ivans, ["full_name", "emails"], "Skip", "Email");
        await RunAsync(ivans);

        var anna = await app.SignInAsync(CrmApp.Anna);
        var annas = await UploadAsync(anna, "contacts", "anna.csv", ImportFiles.Csv("ФИО,E-mail\r\nПереименовано Анной,ivan-client@scope.test\r\n", "utf-8"));
        await StartAsync(anna, annas, ["full_name", "emails"], "Update", "Email");
        await RunAsync(annas);

        var import = await FindAsync(annas);
        Assert.Equal((1, 0, 1), (import.Total, import.Updated, import.Rejected));
        var reason = await app.WithScopeAsync(s => s.GetRequiredService<ClientsDbContext>().ImportRejections.Where(r => r.ImportId == annas).Select(r => r.Reason).SingleAsync());
        Assert.Contains("изменять её вам нельзя", reason, StringComparison.Ordinal);
        Assert.True(await app.WithScopeAsync(s => s.GetRequiredService<ClientsDbContext>().Contacts.AnyAsync(c => c.FullName == "Клиент Ивана")));

        // Nor does anyone see another user's import.
        Assert.Equal(HttpStatusCode.NotFound, (await anna.GetAsync($"/imports/{ivans}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anna.GetAsync($"/imports/{ivans}/rejected")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anna.GetAsync($"/imports/{ivans}/mapping")).StatusCode);
    }

    [Fact]
    public async Task The_mapping_is_remembered_for_the_user_and_checked_before_the_start()
    {
        var head = await app.SignInAsync(CrmApp.Head);
        var file = ImportFiles.Csv("Контрагент;Прочее\r\nЗапомненная Маппинг;x\r\n", "utf-8");
        var first = await UploadAsync(head, "companies", "a.csv", file);
        Assert.All((await FindAsync(first)).Columns, c => Assert.Null(c.Field));

        var refused = await PostMappingAsync(head, first, [null, null], "Skip", "Inn", start: true);
        var html = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("Выберите столбец для поля «Название»", html, StringComparison.Ordinal);
        Assert.Equal(ImportStatus.Mapping, (await FindAsync(first)).Status);

        await StartAsync(head, first, ["name", null], "Create", "Inn");
        var second = await UploadAsync(head, "companies", "b.csv", file);
        Assert.Equal(["name", null], (await FindAsync(second)).Columns.Select(c => c.Field));
    }

    [Fact]
    public async Task A_job_run_again_adds_nothing_twice()
    {
        var anna = await app.SignInAsync(CrmApp.Anna);
        var id = await UploadAsync(anna, "leads", "leads.csv", ImportFiles.Csv("Имя,Телефон\r\nПовтор Один,+79160000001\r\nПовтор Два,+79160000002\r\n", "utf-8"));
        await StartAsync(anna, id, ["name", "phone"], "Skip", "Phone");
        await RunAsync(id);
        await RunAsync(id);

        Assert.Equal(2, await app.WithScopeAsync(s => s.GetRequiredService<ClientsDbContext>().Leads.CountAsync(l => l.Name.StartsWith("Повтор "))));
        var lead = await app.WithScopeAsync(s => s.GetRequiredService<ClientsDbContext>().Leads.FirstAsync(l => l.Name == "Повтор Один"));
        Assert.Equal(Crm.Clients.Domain.LeadSource.Import, lead.Source);
    }

    internal static async Task<Guid> UploadAsync(HttpClient client, string kind, string fileName, byte[] bytes)
    {
        var response = await PostUploadAsync(client, kind, fileName, bytes);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());
        return Guid.Parse(Regex.Match(response.Headers.Location!.OriginalString, "/imports/([0-9a-f-]{36})/mapping").Groups[1].Value);
    }

    internal static async Task<HttpResponseMessage> PostUploadAsync(HttpClient client, string kind, string fileName, byte[] bytes)
    {
        var page = await client.GetStringAsync("/imports/new");
        using var form = new MultipartFormDataContent
        {
            { new StringContent(CrmApp.AntiforgeryToken(page)), "__RequestVerificationToken" },
            { new StringContent(kind), "kind" },
        };
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", fileName);
        return await client.PostAsync("/imports/new", form);
    }

    private static async Task<HttpResponseMessage> PostMappingAsync(HttpClient client, Guid id, IEnumerable<string?> fields, string duplicates, string key, bool start)
    {
        var page = await client.GetStringAsync($"/imports/{id}/mapping");
        var owner = Regex.Match(page, "<option value=\"([0-9a-f-]{36})\" selected=\"selected\">").Groups[1].Value;
        var form = new List<KeyValuePair<string, string>>
        {
            new("__RequestVerificationToken", CrmApp.AntiforgeryToken(page)),
            new("Duplicates", duplicates),
            new("Key", key),
            new("DefaultOwnerId", owner),
        };
        form.AddRange(fields.Select((f, i) => new KeyValuePair<string, string>($"Fields[{i}]", f ?? "")));
        if (start)
        {
            form.Add(new("Start", "true"));
        }

        return await client.PostAsync($"/imports/{id}/mapping", new FormUrlEncodedContent(form));
    }

    internal static async Task StartAsync(HttpClient client, Guid id, IEnumerable<string?> fields, string duplicates, string key)
    {
        var response = await PostMappingAsync(client, id, fields, duplicates, key, start: true);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The job Hangfire would run (its server is off in these tests, so the test runs it).</summary>
    private Task RunAsync(Guid id) => app.WithScopeAsync(s => s.GetRequiredService<ImportJob>().RunAsync(id, CancellationToken.None));

    private Task<ClientImport> FindAsync(Guid id) =>
        app.WithScopeAsync(s => s.GetRequiredService<ClientsDbContext>().Imports.AsNoTracking().SingleAsync(i => i.Id == id));

    internal static async Task<string> SheetXmlAsync(HttpResponseMessage response)
    {
        using var zip = new ZipArchive(new MemoryStream(await response.Content.ReadAsByteArrayAsync()));
        var sheet = zip.Entries.Single(e => e.FullName.StartsWith("xl/worksheets/sheet", StringComparison.Ordinal));
        using var reader = new StreamReader(sheet.Open());
        var xml = await reader.ReadToEndAsync();
        // Strings may sit in the shared-strings part.
        if (zip.GetEntry("xl/sharedStrings.xml") is { } shared)
        {
            using var sharedReader = new StreamReader(shared.Open());
            xml += await sharedReader.ReadToEndAsync();
        }

        return WebUtility.HtmlDecode(xml);
    }
}

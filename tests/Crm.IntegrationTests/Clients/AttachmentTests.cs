using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Crm.Testing;
using Xunit;

namespace Crm.IntegrationTests.Clients;

public sealed class AttachmentTests(CrmApp app) : IClassFixture<CrmApp>
{
    [Fact]
    public async Task A_file_attached_to_a_card_is_downloaded_by_those_who_see_the_record_and_by_nobody_else()
    {
        var anna = await app.SignInAsync(CrmApp.Anna);
        var url = (await CrmApp.PostFormAsync(anna, "/companies/new", "/companies/new", new Dictionary<string, string> { ["Form.Name"] = "ООО «С файлом»", ["Form.Type"] = "Client" }))
            .Headers.Location!.OriginalString;

        var uploaded = await UploadAsync(anna, url, "договор <1>.html", "<script>alert(1)</script>");
        Assert.Equal(HttpStatusCode.Redirect, uploaded.StatusCode);
        var card = await anna.GetStringAsync(url);
        var link = System.Text.RegularExpressions.Regex.Match(card, "href=\"(" + url + "/attachments/[0-9a-f-]{36})\"").Groups[1].Value;
        Assert.Contains("Прикреплён файл: договор &lt;1&gt;.html", card, StringComparison.Ordinal);

        var download = await anna.GetAsync(link);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/octet-stream", download.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal("<script>alert(1)</script>", await download.Content.ReadAsStringAsync());

        var ivan = await app.SignInAsync(CrmApp.Ivan);
        Assert.Equal(HttpStatusCode.NotFound, (await ivan.GetAsync(link)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await UploadAsync(ivan, url, "x.txt", "x", pageUrl: "/companies")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await (await app.SignInAsync(CrmApp.Head)).GetAsync(link)).StatusCode);

        var removed = await CrmApp.PostFormAsync(anna, url, link + "/delete", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anna.GetAsync(link)).StatusCode);
    }

    [Fact]
    public async Task An_empty_upload_says_what_to_do()
    {
        var anna = await app.SignInAsync(CrmApp.Anna);
        var url = (await CrmApp.PostFormAsync(anna, "/leads/new", "/leads/new", new Dictionary<string, string> { ["Form.Name"] = "Лид с пустым файлом", ["Form.Source"] = "Manual", ["Form.Status"] = "New" }))
            .Headers.Location!.OriginalString;

        await UploadAsync(anna, url, "empty.txt", "");

        Assert.Contains("Выберите файл.", await anna.GetStringAsync(url), StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> UploadAsync(HttpClient client, string cardUrl, string fileName, string content, string? pageUrl = null)
    {
        var page = await client.GetStringAsync(pageUrl ?? cardUrl);
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent(CrmApp.AntiforgeryToken(page)), "__RequestVerificationToken");
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(content));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/html");
        form.Add(file, "file", fileName);
        return await client.PostAsync(cardUrl + "/attachments", form);
    }
}

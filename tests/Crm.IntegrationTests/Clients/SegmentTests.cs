using System.Net;
using System.Text.RegularExpressions;
using Crm.Clients.Data;
using Crm.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Crm.IntegrationTests.Clients;

public sealed partial class SegmentTests(CrmApp app) : IClassFixture<CrmApp>
{
    [Fact]
    public async Task Not_contacted_for_n_days_finds_the_records_without_recent_activity()
    {
        var anna = await app.SignInAsync(CrmApp.Anna);
        var quiet = await CreateAsync(anna, "ООО «Тишина»");
        var busy = await CreateAsync(anna, "ЗАО «Суета»");
        await app.WithScopeAsync(async s =>
        {
            var db = s.GetRequiredService<ClientsDbContext>();
            var old = DateTimeOffset.UtcNow.AddDays(-120);
            await db.Companies.Where(c => c.Id == quiet || c.Id == busy).ExecuteUpdateAsync(u => u.SetProperty(c => c.CreatedAt, old).SetProperty(c => c.LastActivityAt, old));
        });
        await CrmApp.PostFormAsync(anna, $"/companies/{busy}", $"/companies/{busy}/notes", new Dictionary<string, string> { ["Note.Text"] = "Позвонили сегодня" });

        var html = await anna.GetStringAsync("/companies?idle=90");

        Assert.Contains($"/companies/{quiet}\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain($"/companies/{busy}\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_shared_segment_is_offered_to_colleagues_and_shows_only_what_their_scope_allows()
    {
        var anna = await app.SignInAsync(CrmApp.Anna);
        var own = await CreateAsync(anna, "ООО «Сегментная»", tag: "Сегмент-тест");
        var ivan = await app.SignInAsync(CrmApp.Ivan);
        var his = await CreateAsync(ivan, "АО «Иванова сегментная»", tag: "Сегмент-тест");

        var saved = await CrmApp.PostFormAsync(anna, "/companies?tag=" + Uri.EscapeDataString("Сегмент-тест"), "/companies/segments",
            new Dictionary<string, string> { ["Name"] = "Выставка 2026", ["Shared"] = "true", ["Tag"] = "Сегмент-тест" });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var segmentUrl = saved.Headers.Location!.OriginalString;

        var annaView = await anna.GetStringAsync(segmentUrl);
        var ivanList = await ivan.GetStringAsync("/companies");
        var ivanView = await ivan.GetStringAsync(SegmentLink().Match(ivanList).Groups[1].Value.Replace("&amp;", "&", StringComparison.Ordinal));

        Assert.Contains("Выставка 2026", ivanList, StringComparison.Ordinal);
        Assert.Contains($"/companies/{own}\"", annaView, StringComparison.Ordinal);
        Assert.DoesNotContain($"/companies/{his}\"", annaView, StringComparison.Ordinal);
        Assert.Contains($"/companies/{his}\"", ivanView, StringComparison.Ordinal);
        Assert.DoesNotContain($"/companies/{own}\"", ivanView, StringComparison.Ordinal);

        var segmentId = segmentUrl.Split('=').Last();
        Assert.Equal(HttpStatusCode.NotFound, (await CrmApp.PostFormAsync(ivan, "/companies", $"/companies/segments/{segmentId}/delete", new Dictionary<string, string>())).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await CrmApp.PostFormAsync(anna, "/companies", $"/companies/segments/{segmentId}/delete", new Dictionary<string, string>())).StatusCode);
    }

    private static async Task<Guid> CreateAsync(HttpClient client, string name, string tag = "")
    {
        var created = await CrmApp.PostFormAsync(client, "/companies/new", "/companies/new", new Dictionary<string, string> { ["Form.Name"] = name, ["Form.Type"] = "Client", ["Form.Tags"] = tag });
        return Guid.Parse(created.Headers.Location!.OriginalString.Split('/').Last());
    }

    [GeneratedRegex("href=\"(/companies\\?segment=[0-9a-f-]{36})\"")]
    private static partial Regex SegmentLink();
}

public sealed class SegmentContractTests(CrmApp app) : IClassFixture<CrmApp>
{
    [Fact]
    public async Task Other_modules_read_a_segments_matches_within_the_current_users_scope()
    {
        var anna = await app.SignInAsync(CrmApp.Anna);
        await CrmApp.PostFormAsync(anna, "/companies/new", "/companies/new", new Dictionary<string, string> { ["Form.Name"] = "ООО «Для рассылки»", ["Form.Type"] = "Client", ["Form.Tags"] = "Рассылка" });
        var saved = await CrmApp.PostFormAsync(anna, "/companies", "/companies/segments", new Dictionary<string, string> { ["Name"] = "Рассылка", ["Shared"] = "true", ["Tag"] = "Рассылка" });
        var segmentId = Guid.Parse(saved.Headers.Location!.OriginalString.Split('=').Last());

        var forAnna = await MatchesAsync(CrmApp.Anna, segmentId);
        var forIvan = await MatchesAsync(CrmApp.Ivan, segmentId);

        Assert.Single(forAnna);
        Assert.Empty(forIvan);
    }

    private Task<List<Guid>> MatchesAsync(string email, Guid segmentId) =>
        app.WithScopeAsync(async services =>
        {
            var users = services.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Crm.Identity.Domain.CrmUser>>();
            var user = await users.FindByEmailAsync(email);
            var principal = await services.GetRequiredService<Microsoft.AspNetCore.Identity.SignInManager<Crm.Identity.Domain.CrmUser>>().CreateUserPrincipalAsync(user!);
            services.GetRequiredService<Microsoft.AspNetCore.Http.IHttpContextAccessor>().HttpContext = new Microsoft.AspNetCore.Http.DefaultHttpContext { User = principal, RequestServices = services };
            var ids = new List<Guid>();
            await foreach (var id in services.GetRequiredService<Crm.Clients.Contracts.IClientSegments>().MatchingIdsAsync(segmentId))
            {
                ids.Add(id);
            }

            return ids;
        });
}

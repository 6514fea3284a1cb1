using Crm.Mail.Templates;
using Xunit;

namespace Crm.UnitTests.Mail;

public sealed class MailTextTests
{
    [Fact]
    public void The_plain_text_part_keeps_paragraphs_and_line_breaks_and_drops_markup_and_source_wrapping()
    {
        var html = """
            <style>p { color: red }</style>
            <p>Здравствуйте,
               Иван!</p>
            <p>Сумма: <strong>1&nbsp;000 &amp; НДС</strong><br>Срок: 14 дней</p>
            <ul><li>Первый</li><li>Второй</li></ul>
            """;

        var text = MailText.FromHtml(html);

        Assert.Equal("Здравствуйте, Иван!\n\nСумма: 1 000 & НДС\nСрок: 14 дней\n\nПервый\nВторой", text);
    }

    [Fact]
    public void Typed_text_becomes_encoded_html_with_its_lines()
    {
        Assert.Equal("<p>a &lt;b&gt;<br>\nc</p>", MailText.ToHtml("a <b>\r\nc"));
    }
}

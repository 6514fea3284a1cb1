using Crm.Clients.Domain;
using Xunit;

namespace Crm.UnitTests.Clients;

public sealed class RequisitesTests
{
    [Theory]
    [InlineData("7707083893")] // Sberbank
    [InlineData("7736207543")] // Yandex
    [InlineData("500100732259")] // a person's INN
    public void Real_inns_pass_the_checksum(string inn) => Assert.True(Requisites.IsValidInn(inn));

    [Theory]
    [InlineData("7707083894")]
    [InlineData("500100732258")]
    [InlineData("77070838")]
    [InlineData("77070838931")]
    [InlineData("77070838a3")]
    [InlineData("")]
    [InlineData(null)]
    public void Wrong_inns_are_refused(string? inn) => Assert.False(Requisites.IsValidInn(inn));

    [Fact]
    public void A_completed_inn_is_valid() =>
        Assert.True(Requisites.IsValidInn(Requisites.CompleteInn10("770708389")));

    [Theory]
    [InlineData("1027700132195", true)] // Sberbank OGRN
    [InlineData("1027700132196", false)]
    [InlineData("304500116000157", true)] // an OGRNIP
    [InlineData("304500116000158", false)]
    [InlineData("12345", false)]
    public void Ogrn_and_ogrnip_check_digits(string ogrn, bool valid) => Assert.Equal(valid, Requisites.IsValidOgrn(ogrn));

    [Theory]
    [InlineData("773601001", true)]
    [InlineData("7736AB001", true)]
    [InlineData("77360100", false)]
    [InlineData("7736ab001", false)]
    public void Kpp_has_nine_characters_with_letters_only_in_the_middle(string kpp, bool valid) => Assert.Equal(valid, Requisites.IsValidKpp(kpp));

    [Theory]
    [InlineData("8 (495) 123-45-67", "+74951234567")]
    [InlineData("+7 916 123 45 67", "+79161234567")]
    [InlineData("9161234567", "+79161234567")]
    [InlineData("+44 20 7946 0958", "+442079460958")]
    public void Phones_are_stored_in_e164_with_russia_as_the_default_region(string typed, string stored) =>
        Assert.Equal(stored, Requisites.NormalizePhone(typed));

    [Theory]
    [InlineData("12")]
    [InlineData("phone")]
    [InlineData("+7 495 12")]
    public void Things_that_are_not_phones_are_refused(string typed) => Assert.Null(Requisites.NormalizePhone(typed));

    [Fact]
    public void A_stored_phone_is_shown_formatted() =>
        Assert.Equal("+7 495 123-45-67", Requisites.FormatPhone("+74951234567"));

    [Theory]
    [InlineData(" Ivan.Petrov@Mail.RU ", "ivan.petrov@mail.ru")]
    [InlineData("a@b.co", "a@b.co")]
    public void Emails_are_trimmed_and_lower_cased(string typed, string stored) => Assert.Equal(stored, Requisites.NormalizeEmail(typed));

    [Theory]
    [InlineData("ivan")]
    [InlineData("ivan@")]
    [InlineData("ivan@mail")]
    [InlineData("Ivan Petrov <ivan@mail.ru>")]
    public void Things_that_are_not_emails_are_refused(string typed) => Assert.Null(Requisites.NormalizeEmail(typed));

    [Fact]
    public void Phone_digits_keep_every_number_searchable_by_fragment() =>
        Assert.Equal("74951234567 79161234567", Requisites.PhoneDigits(["+74951234567", "+79161234567"]));
}

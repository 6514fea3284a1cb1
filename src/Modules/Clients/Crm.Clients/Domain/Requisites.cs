using System.Net.Mail;
using System.Text.RegularExpressions;
using PhoneNumbers;

namespace Crm.Clients.Domain;

/// <summary>
/// Russian company requisites with their checksums (Federal Tax Service rules), e-mail and phone
/// normalization. Each method takes what a user typed and answers the stored form or null when invalid.
/// </summary>
internal static partial class Requisites
{
    private static readonly int[] Inn10Weights = [2, 4, 10, 3, 5, 9, 4, 6, 8];
    private static readonly int[] Inn11Weights = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
    private static readonly int[] Inn12Weights = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
    private static readonly PhoneNumberUtil Phones = PhoneNumberUtil.GetInstance();

    /// <summary>INN: 10 digits for an organization, 12 for a person, with check digits.</summary>
    public static bool IsValidInn(string? inn)
    {
        if (inn is null || !inn.All(char.IsAsciiDigit))
        {
            return false;
        }

        return inn.Length switch
        {
            10 => CheckDigit(inn, Inn10Weights) == inn[9] - '0',
            12 => CheckDigit(inn, Inn11Weights) == inn[10] - '0' && CheckDigit(inn, Inn12Weights) == inn[11] - '0',
            _ => false,
        };
    }

    /// <summary>Adds the check digit to the first nine digits of an organization's INN (demo and load data, tests).</summary>
    public static string CompleteInn10(string firstNine) => firstNine + CheckDigit(firstNine, Inn10Weights).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>OGRN (13 digits, organizations) or OGRNIP (15 digits, sole traders) with its check digit.</summary>
    public static bool IsValidOgrn(string? ogrn)
    {
        if (ogrn is null || !ogrn.All(char.IsAsciiDigit) || ogrn.Length is not (13 or 15))
        {
            return false;
        }

        var body = long.Parse(ogrn[..^1], System.Globalization.CultureInfo.InvariantCulture);
        var check = ogrn.Length == 13 ? body % 11 % 10 : body % 13 % 10;
        return check == ogrn[^1] - '0';
    }

    /// <summary>KPP: 9 characters, the 5th and 6th may be capital Latin letters.</summary>
    public static bool IsValidKpp(string? kpp) => kpp is not null && KppPattern().IsMatch(kpp);

    /// <summary>Lower-cased e-mail, or null when it is not an address.</summary>
    public static string? NormalizeEmail(string? email)
    {
        var trimmed = email?.Trim();
        if (string.IsNullOrEmpty(trimmed) || trimmed.Length > 254 || !EmailPattern().IsMatch(trimmed)
            || !MailAddress.TryCreate(trimmed, out var address) || address.Address != trimmed)
        {
            return null;
        }

        return trimmed.ToLowerInvariant();
    }

    /// <summary>E.164 ("+74951234567"), or null when the number is not valid. Without a country code, Russia.</summary>
    public static string? NormalizePhone(string? phone)
    {
        if (string.IsNullOrWhiteSpace(phone) || phone.Length > 40)
        {
            return null;
        }

        try
        {
            var parsed = Phones.Parse(phone, "RU");
            return Phones.IsValidNumber(parsed) ? Phones.Format(parsed, PhoneNumberFormat.E164) : null;
        }
        catch (NumberParseException)
        {
            return null;
        }
    }

    /// <summary>"+7 495 123-45-67": how a stored E.164 number is shown.</summary>
    public static string FormatPhone(string e164)
    {
        try
        {
            return Phones.Format(Phones.Parse(e164, "RU"), PhoneNumberFormat.INTERNATIONAL);
        }
        catch (NumberParseException)
        {
            return e164;
        }
    }

    /// <summary>The digits of the phones, space-separated: what "any 4+ digits of a phone" searches in.</summary>
    public static string PhoneDigits(IEnumerable<string> e164Phones) =>
        string.Join(' ', e164Phones.Select(p => new string(p.Where(char.IsAsciiDigit).ToArray())));

    private static int CheckDigit(string digits, int[] weights)
    {
        var sum = 0;
        for (var i = 0; i < weights.Length; i++)
        {
            sum += (digits[i] - '0') * weights[i];
        }

        return sum % 11 % 10;
    }

    [GeneratedRegex("^[0-9]{4}[0-9A-Z]{2}[0-9]{3}$")]
    private static partial Regex KppPattern();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex EmailPattern();
}

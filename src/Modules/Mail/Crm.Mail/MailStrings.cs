using Crm.Mail;
using Crm.SharedKernel.Localization;

[assembly: ModuleStrings(typeof(MailStrings))]

namespace Crm.Mail;

/// <summary>Marker for the module's strings: English keys, Russian in Resources/MailStrings.ru.resx.</summary>
internal sealed class MailStrings;

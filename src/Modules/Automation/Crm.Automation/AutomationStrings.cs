using Crm.Automation;
using Crm.SharedKernel.Localization;

[assembly: ModuleStrings(typeof(AutomationStrings))]

namespace Crm.Automation;

/// <summary>Marker for the module's strings: English keys, Russian in Resources/AutomationStrings.ru.resx.</summary>
internal sealed class AutomationStrings;

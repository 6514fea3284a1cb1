using Crm.Deals;
using Crm.SharedKernel.Localization;

[assembly: ModuleStrings(typeof(DealsStrings))]

namespace Crm.Deals;

/// <summary>Marker for the module's strings: English keys, Russian in Resources/DealsStrings.ru.resx.</summary>
internal sealed class DealsStrings;

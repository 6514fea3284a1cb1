using Crm.CustomFields;
using Crm.SharedKernel.Localization;

[assembly: ModuleStrings(typeof(CustomFieldsStrings))]

namespace Crm.CustomFields;

/// <summary>Marker for the module's strings: English keys, Russian in Resources/CustomFieldsStrings.ru.resx.</summary>
internal sealed class CustomFieldsStrings;

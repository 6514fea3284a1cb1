using Crm.Identity;
using Crm.SharedKernel.Localization;

[assembly: ModuleStrings(typeof(IdentityStrings))]

namespace Crm.Identity;

/// <summary>
/// Marker for the module's strings. Keys are the English text; Resources/IdentityStrings.ru.resx holds
/// the Russian. A unit test checks that every key used in this module has its Russian translation.
/// </summary>
internal sealed class IdentityStrings;

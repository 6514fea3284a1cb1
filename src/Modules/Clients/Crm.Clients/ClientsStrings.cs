using Crm.Clients;
using Crm.SharedKernel.Localization;

[assembly: ModuleStrings(typeof(ClientsStrings))]

namespace Crm.Clients;

/// <summary>Marker for the module's strings: English keys, Russian in Resources/ClientsStrings.ru.resx.</summary>
internal sealed class ClientsStrings;

using Crm.SharedKernel.Localization;
using Crm.Tasks;

[assembly: ModuleStrings(typeof(TasksStrings))]

namespace Crm.Tasks;

/// <summary>Marker for the module's strings: English keys, Russian in Resources/TasksStrings.ru.resx.</summary>
internal sealed class TasksStrings;

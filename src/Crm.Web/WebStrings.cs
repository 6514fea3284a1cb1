namespace Crm.Web;

/// <summary>
/// Marker for the host's strings (layout, search, errors). Keys are the English text;
/// Resources/WebStrings.ru.resx holds the Russian, checked complete by a unit test.
/// </summary>
public sealed class WebStrings;

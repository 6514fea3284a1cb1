namespace Crm.SharedKernel.Navigation;

/// <summary>
/// Something a module shows in the header for signed-in users (the notifications bell): the name of one
/// of its view components, invoked without arguments, placed by <paramref name="Order"/> before the user menu.
/// Registered as a singleton.
/// </summary>
public sealed record HeaderWidget(string ViewComponent, int Order);

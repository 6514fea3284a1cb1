using Microsoft.AspNetCore.Mvc;

namespace Crm.Tasks.Areas.Tasks.Features.Notifications;

/// <summary>
/// The bell in the header (a <see cref="Crm.SharedKernel.Navigation.HeaderWidget"/>): the unread count,
/// refreshed every minute, and a dropdown that loads the latest notifications only when it is opened, so
/// a page costs one capped count.
/// </summary>
[ViewComponent(Name = Name)]
internal sealed class NotificationBellViewComponent(NotificationLines notifications) : ViewComponent
{
    public const string Name = "NotificationBell";

    public async Task<IViewComponentResult> InvokeAsync() =>
        View("/Areas/Tasks/Features/Notifications/Bell.cshtml", await notifications.UnreadAsync(HttpContext.RequestAborted));
}

using Crm.Automation.Domain;
using Crm.Identity.Contracts;
using Crm.SharedKernel.Templates;

namespace Crm.Automation.Running;

/// <summary>The users an action addresses: the deal's owner, the head of the owner's department, or fixed users.</summary>
internal static class Recipients
{
    public static async Task<IReadOnlyList<Guid>> ResolveAsync(ScenarioAction definition, PlaceholderModel model, IUserDirectory users, CancellationToken cancellationToken)
    {
        switch (definition.Recipient ?? RecipientRules.Owner)
        {
            case RecipientRules.Fixed:
                return definition.UserIds.Distinct().ToList();
            case RecipientRules.Head:
                var department = Guid.TryParse(Conditions.Value(model, "owner.department_id"), out var id) ? id : Guid.Empty;
                var head = (await users.GetDepartmentsAsync(cancellationToken)).FirstOrDefault(d => d.Id == department)?.HeadUserId;
                return head is { } headId ? [headId] : [];
            default:
                return Guid.TryParse(Conditions.Value(model, "owner.id"), out var owner) ? [owner] : [];
        }
    }
}

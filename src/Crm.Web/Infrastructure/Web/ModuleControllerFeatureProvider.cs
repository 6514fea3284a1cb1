using System.Reflection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Controllers;

namespace Crm.Web.Infrastructure.Web;

/// <summary>
/// MVC only takes public controllers. Modules keep theirs internal, together with the DbContext and
/// services they use (a public controller could not take an internal type in its constructor), so
/// this provider also accepts internal controller classes. See docs/adr/0004-internal-module-types.md.
/// </summary>
internal sealed class ModuleControllerFeatureProvider : ControllerFeatureProvider
{
    protected override bool IsController(TypeInfo typeInfo) =>
        typeInfo.IsClass
        && !typeInfo.IsAbstract
        && !typeInfo.ContainsGenericParameters
        && !typeInfo.IsDefined(typeof(NonControllerAttribute))
        && !typeInfo.IsNested
        && typeof(ControllerBase).IsAssignableFrom(typeInfo)
        && (typeInfo.Name.EndsWith("Controller", StringComparison.Ordinal) || typeInfo.IsDefined(typeof(ControllerAttribute)));
}

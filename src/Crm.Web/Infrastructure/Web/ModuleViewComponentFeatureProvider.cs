using System.Reflection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ApplicationParts;
using Microsoft.AspNetCore.Mvc.ViewComponents;

namespace Crm.Web.Infrastructure.Web;

/// <summary>
/// MVC only takes public view components. Modules keep theirs internal like their controllers (a
/// client card's panel takes the module's internal services), so this provider adds the internal
/// ones MVC's own provider skipped. See docs/adr/0004-internal-module-types.md.
/// </summary>
internal sealed class ModuleViewComponentFeatureProvider : IApplicationFeatureProvider<ViewComponentFeature>
{
    public void PopulateFeature(IEnumerable<ApplicationPart> parts, ViewComponentFeature feature)
    {
        foreach (var type in parts.OfType<IApplicationPartTypeProvider>().SelectMany(part => part.Types))
        {
            if (type.IsClass
                && !type.IsPublic
                && !type.IsNested
                && !type.IsAbstract
                && !type.ContainsGenericParameters
                && !type.IsDefined(typeof(NonViewComponentAttribute))
                && (type.Name.EndsWith("ViewComponent", StringComparison.Ordinal) || type.IsDefined(typeof(ViewComponentAttribute)))
                && !feature.ViewComponents.Contains(type))
            {
                feature.ViewComponents.Add(type);
            }
        }
    }
}

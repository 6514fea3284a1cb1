using Crm.Identity.Domain;
using Microsoft.AspNetCore.Mvc.Rendering;

namespace Crm.Identity.Areas.Identity.Features.Shared;

/// <summary>The department tree in display order (parents before children, siblings by name) with depths.</summary>
internal static class DepartmentTree
{
    public static IReadOnlyList<(Department Department, int Depth)> Flatten(IEnumerable<Department> departments)
    {
        var all = departments.ToList();
        var known = all.Select(d => d.Id).ToHashSet();
        var children = all.ToLookup(d => d.ParentId is { } p && known.Contains(p) ? p : (Guid?)null);
        var result = new List<(Department, int)>(all.Count);
        void Walk(Guid? parent, int depth)
        {
            foreach (var department in children[parent].OrderBy(d => d.Name, StringComparer.CurrentCulture))
            {
                result.Add((department, depth));
                Walk(department.Id, depth + 1);
            }
        }

        Walk(null, 0);
        return result;
    }

    /// <summary>Options for a department select; an em dash per level shows the nesting.</summary>
    public static IEnumerable<SelectListItem> Options(IEnumerable<Department> departments, Guid? selected, ISet<Guid>? excluded = null) =>
        Flatten(departments)
            .Where(row => excluded is null || !excluded.Contains(row.Department.Id))
            .Select(row => new SelectListItem(
                new string('—', row.Depth) + (row.Depth > 0 ? " " : "") + row.Department.Name,
                row.Department.Id.ToString(),
                row.Department.Id == selected));
}

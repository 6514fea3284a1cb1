using System.ComponentModel.DataAnnotations;
using Crm.Identity.Access;
using Crm.Identity.Data;
using Crm.Identity.Domain;
using Crm.SharedKernel.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Crm.Identity.Areas.Identity.Features.Departments;

/// <summary>The department tree: each department has a parent (or is a root) and optionally a head.</summary>
[Area("Identity")]
[Route("admin/departments")]
[Authorize(Roles = BuiltInRoles.Admin)]
internal sealed class DepartmentsController(IdentityDbContext db, AccessRules rules, TimeProvider clock, IStringLocalizer<IdentityStrings> L) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken cancellationToken)
    {
        var departments = await rules.GetDepartmentsAsync(cancellationToken);
        var userCounts = await db.Users.Where(u => u.IsActive).GroupBy(u => u.DepartmentId)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        var headIds = departments.Where(d => d.HeadUserId != null).Select(d => d.HeadUserId!.Value).ToList();
        var heads = await db.Users.Where(u => headIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.FullName, cancellationToken);
        return View(new DepartmentListPage(departments, userCounts, heads));
    }

    [HttpGet("new")]
    public async Task<IActionResult> Create(Guid? parent, CancellationToken cancellationToken) =>
        View("Edit", await FormPageAsync(new DepartmentForm { ParentId = parent }, null, cancellationToken));

    [HttpPost("new")]
    public async Task<IActionResult> Create([Bind(Prefix = "Form")] DepartmentForm form, CancellationToken cancellationToken)
    {
        var department = new Department { Id = Guid.CreateVersion7(), CreatedAt = clock.GetUtcNow() };
        await ValidateAsync(form, department, cancellationToken);
        if (!ModelState.IsValid)
        {
            return View("Edit", await FormPageAsync(form, null, cancellationToken));
        }

        form.ApplyTo(department);
        db.Departments.Add(department);
        await db.SaveChangesAsync(cancellationToken);
        rules.DepartmentsChanged();
        TempData["toast"] = L["Department {0} created.", department.Name].Value;
        return Redirect("/admin/departments");
    }

    [HttpGet("{id:guid}/edit")]
    public async Task<IActionResult> Edit(Guid id, CancellationToken cancellationToken)
    {
        var department = await db.Departments.FindAsync([id], cancellationToken);
        return department is null
            ? NotFound()
            : View(await FormPageAsync(DepartmentForm.From(department), department, cancellationToken));
    }

    [HttpPost("{id:guid}/edit")]
    public async Task<IActionResult> Edit(Guid id, [Bind(Prefix = "Form")] DepartmentForm form, CancellationToken cancellationToken)
    {
        var department = await db.Departments.FindAsync([id], cancellationToken);
        if (department is null)
        {
            return NotFound();
        }

        await ValidateAsync(form, department, cancellationToken);
        if (!ModelState.IsValid)
        {
            return View(await FormPageAsync(form, department, cancellationToken));
        }

        form.ApplyTo(department);
        await db.SaveChangesAsync(cancellationToken);
        rules.DepartmentsChanged();
        TempData["toast"] = L["Department {0} saved.", department.Name].Value;
        return Redirect("/admin/departments");
    }

    /// <summary>Only an empty department goes: no users, no sub-departments, and never the last one.</summary>
    [HttpPost("{id:guid}/delete")]
    public async Task<IActionResult> Delete(Guid id, CancellationToken cancellationToken)
    {
        var department = await db.Departments.FindAsync([id], cancellationToken);
        if (department is null)
        {
            return NotFound();
        }

        string? refusal = null;
        if (await db.Users.AnyAsync(u => u.DepartmentId == id, cancellationToken))
        {
            refusal = L["Move its users to another department first."];
        }
        else if (await db.Departments.AnyAsync(d => d.ParentId == id, cancellationToken))
        {
            refusal = L["Move or delete its sub-departments first."];
        }
        else if (await db.Departments.CountAsync(cancellationToken) == 1)
        {
            refusal = L["The last department cannot be deleted."];
        }

        if (refusal is not null)
        {
            TempData["toast"] = L["{0} cannot be deleted. {1}", department.Name, refusal].Value;
            return Redirect($"/admin/departments/{id}/edit");
        }

        db.Departments.Remove(department);
        await db.SaveChangesAsync(cancellationToken);
        rules.DepartmentsChanged();
        TempData["toast"] = L["Department {0} deleted.", department.Name].Value;
        return Redirect("/admin/departments");
    }

    private async Task ValidateAsync(DepartmentForm form, Department department, CancellationToken cancellationToken)
    {
        var all = await db.Departments.AsNoTracking().ToListAsync(cancellationToken);
        if (form.ParentId is { } parent && all.All(d => d.Id != parent))
        {
            ModelState.AddModelError("Form.ParentId", L["Choose a parent department from the list."]);
        }
        else if (department.WouldCreateCycle(form.ParentId, all))
        {
            ModelState.AddModelError("Form.ParentId", L["A department cannot be placed inside itself or its own sub-department."]);
        }

        if (form.HeadUserId is { } head && !await db.Users.AnyAsync(u => u.Id == head && u.IsActive, cancellationToken))
        {
            ModelState.AddModelError("Form.HeadUserId", L["Choose an active user as the head."]);
        }
    }

    private async Task<DepartmentFormPage> FormPageAsync(DepartmentForm form, Department? department, CancellationToken cancellationToken)
    {
        var all = await rules.GetDepartmentsAsync(cancellationToken);
        var excluded = department is null ? new HashSet<Guid>() : Department.SelfAndDescendants(department.Id, all);
        var users = await db.Users.AsNoTracking().Where(u => u.IsActive).OrderBy(u => u.FullName)
            .Select(u => new HeadChoice(u.Id, u.FullName, u.Email!)).ToListAsync(cancellationToken);
        return new DepartmentFormPage(form, department?.Id, all, excluded, users);
    }
}

internal sealed class DepartmentForm
{
    [Display(Name = "Name")]
    [Required(ErrorMessage = "Enter the name.")]
    [StringLength(200, ErrorMessage = "At most {1} characters.")]
    public string Name { get; set; } = "";

    [Display(Name = "Parent department")]
    public Guid? ParentId { get; set; }

    [Display(Name = "Head")]
    public Guid? HeadUserId { get; set; }

    public static DepartmentForm From(Department department) => new()
    {
        Name = department.Name,
        ParentId = department.ParentId,
        HeadUserId = department.HeadUserId,
    };

    public void ApplyTo(Department department)
    {
        department.Name = Name.Trim();
        department.ParentId = ParentId;
        department.HeadUserId = HeadUserId;
    }
}

internal sealed record HeadChoice(Guid Id, string FullName, string Email);

internal sealed record DepartmentFormPage(
    DepartmentForm Form,
    Guid? DepartmentId,
    IReadOnlyList<Department> Departments,
    ISet<Guid> ExcludedParents,
    IReadOnlyList<HeadChoice> Users)
{
    public bool IsNew => DepartmentId is null;
}

internal sealed record DepartmentListPage(
    IReadOnlyList<Department> Departments,
    IReadOnlyDictionary<Guid, int> UserCounts,
    IReadOnlyDictionary<Guid, string> HeadNames);

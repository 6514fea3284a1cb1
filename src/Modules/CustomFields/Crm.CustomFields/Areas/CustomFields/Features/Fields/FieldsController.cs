using System.ComponentModel.DataAnnotations;
using System.Text;
using System.Text.RegularExpressions;
using Crm.CustomFields.Contracts;
using Crm.CustomFields.Data;
using Crm.CustomFields.Domain;
using Crm.SharedKernel.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Crm.CustomFields.Areas.CustomFields.Features.Fields;

/// <summary>Admins define custom fields per kind of record: label, type, required, options, order.</summary>
[Area("CustomFields")]
[Authorize(Roles = BuiltInRoles.Admin)]
[Route("admin/fields")]
internal sealed partial class FieldsController(
    FieldsDbContext db, IEnumerable<CustomFieldEntity> entities, IEnumerable<ICustomFieldScopes> scopes, IStringLocalizer<CustomFieldsStrings> strings, TimeProvider clock) : Controller
{
    private IStringLocalizer L => strings;

    private List<CustomFieldEntity> Entities => entities.OrderBy(e => e.Order).ToList();

    [HttpGet("")]
    public async Task<IActionResult> Index(string? kind, CancellationToken cancellationToken)
    {
        var entity = Entity(kind);
        if (entity is null)
        {
            return NotFound();
        }

        var fields = await db.Definitions.AsNoTracking().Where(f => f.EntityKind == entity.EntityKind).OrderBy(f => f.Order).ThenBy(f => f.Label).ToListAsync(cancellationToken);
        return View(new FieldListPage(Entities, entity, fields));
    }

    [HttpGet("new")]
    public async Task<IActionResult> Create(string? kind, CancellationToken cancellationToken) =>
        Entity(kind) is { } entity ? View("Edit", new FieldFormPage(entity, null, new FieldForm { Order = 100 }, await ScopesAsync(entity, cancellationToken))) : NotFound();

    [HttpPost("new")]
    public async Task<IActionResult> Create(string? kind, [Bind(Prefix = "Form")] FieldForm form, CancellationToken cancellationToken)
    {
        var entity = Entity(kind);
        if (entity is null)
        {
            return NotFound();
        }

        var field = new FieldDefinition { Id = Guid.CreateVersion7(), EntityKind = entity.EntityKind, CreatedAt = clock.GetUtcNow() };
        if (!await ApplyAsync(form, field, isNew: true, cancellationToken))
        {
            return View("Edit", new FieldFormPage(entity, null, form, await ScopesAsync(entity, cancellationToken)));
        }

        db.Definitions.Add(field);
        await db.SaveChangesAsync(cancellationToken);
        TempData["toast"] = L["Field {0} added.", field.Label].Value;
        return Redirect($"/admin/fields?kind={entity.EntityKind}");
    }

    [HttpGet("{id:guid}")]
    public async Task<IActionResult> Edit(Guid id, CancellationToken cancellationToken)
    {
        var field = await db.Definitions.AsNoTracking().SingleOrDefaultAsync(f => f.Id == id, cancellationToken);
        return field is null || Entity(field.EntityKind) is not { } entity ? NotFound() : View(new FieldFormPage(entity, field, FieldForm.From(field), await ScopesAsync(entity, cancellationToken)));
    }

    [HttpPost("{id:guid}")]
    public async Task<IActionResult> Edit(Guid id, [Bind(Prefix = "Form")] FieldForm form, CancellationToken cancellationToken)
    {
        var field = await db.Definitions.SingleOrDefaultAsync(f => f.Id == id, cancellationToken);
        if (field is null || Entity(field.EntityKind) is not { } entity)
        {
            return NotFound();
        }

        if (!await ApplyAsync(form, field, isNew: false, cancellationToken))
        {
            return View(new FieldFormPage(entity, field, form, await ScopesAsync(entity, cancellationToken)));
        }

        await db.SaveChangesAsync(cancellationToken);
        TempData["toast"] = L["Changes saved."].Value;
        return Redirect($"/admin/fields?kind={entity.EntityKind}");
    }

    /// <summary>The definition goes; the values stay in the records (a field added again with the same key shows them again).</summary>
    [HttpPost("{id:guid}/delete")]
    public async Task<IActionResult> Delete(Guid id, CancellationToken cancellationToken)
    {
        var field = await db.Definitions.SingleOrDefaultAsync(f => f.Id == id, cancellationToken);
        if (field is null)
        {
            return NotFound();
        }

        db.Definitions.Remove(field);
        await db.SaveChangesAsync(cancellationToken);
        TempData["toast"] = L["Field {0} removed.", field.Label].Value;
        return Redirect($"/admin/fields?kind={field.EntityKind}");
    }

    private async Task<bool> ApplyAsync(FieldForm form, FieldDefinition field, bool isNew, CancellationToken cancellationToken)
    {
        var label = form.Label?.Trim() ?? "";
        if (label.Length == 0)
        {
            ModelState.AddModelError("Form.Label", L["Name the field."]);
        }

        var options = (form.Options ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (form.Type is CustomFieldType.List or CustomFieldType.MultiList && options.Count == 0)
        {
            ModelState.AddModelError("Form.Options", L["A list needs its options, one per line."]);
        }

        if (options.Any(o => o.Length > 100) || options.Count > 200)
        {
            ModelState.AddModelError("Form.Options", L["At most 200 options of up to 100 characters."]);
        }

        var scope = string.IsNullOrWhiteSpace(form.Scope) ? null : form.Scope.Trim();
        if (scope is not null && Entity(field.EntityKind) is { } kind
            && (await ScopesAsync(kind, cancellationToken)).All(s => s.Value != scope))
        {
            ModelState.AddModelError("Form.Scope", L["Choose where the field applies from the list."]);
        }

        var key = isNew ? (string.IsNullOrWhiteSpace(form.Key) ? Slug(label) : form.Key.Trim().ToLowerInvariant()) : field.Key;
        if (isNew)
        {
            if (!KeyPattern().IsMatch(key))
            {
                ModelState.AddModelError("Form.Key", L["The key is 2–40 Latin letters, digits and underscores, starting with a letter."]);
            }
            else if (await db.Definitions.AnyAsync(f => f.EntityKind == field.EntityKind && f.Key == key, cancellationToken))
            {
                ModelState.AddModelError("Form.Key", L["Another field of this kind has the key {0}.", key]);
            }
        }
        else if (form.Type != field.Type)
        {
            // Stored values were checked against the old type: changing it would leave them unreadable.
            ModelState.AddModelError("Form.Type", L["The type of a field cannot change; add a new field instead."]);
        }

        if (!ModelState.IsValid)
        {
            return false;
        }

        field.Key = key;
        field.Label = label;
        field.Type = form.Type;
        field.Required = form.Required;
        field.Options = form.Type is CustomFieldType.List or CustomFieldType.MultiList ? options : [];
        field.Order = form.Order;
        field.Scope = scope;
        return true;
    }

    /// <summary>A key from the label: "Источник сделки" gives "istochnik_sdelki".</summary>
    internal static string Slug(string label)
    {
        const string From = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя";
        string[] to = ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya"];
        var slug = new StringBuilder();
        foreach (var c in label.ToLowerInvariant())
        {
            var i = From.IndexOf(c, StringComparison.Ordinal);
            slug.Append(i >= 0 ? to[i] : char.IsAsciiLetterOrDigit(c) ? c.ToString() : "_");
        }

        var key = Regex.Replace(slug.ToString(), "_+", "_").Trim('_');
        key = key.Length > 40 ? key[..40].TrimEnd('_') : key;
        return key.Length >= 2 && char.IsAsciiLetter(key[0]) ? key : "field_" + key;
    }

    /// <summary>What a field of the kind can be narrowed to (a deal's pipeline), when its module offers any.</summary>
    private async Task<IReadOnlyList<CustomFieldScope>> ScopesAsync(CustomFieldEntity entity, CancellationToken cancellationToken) =>
        scopes.FirstOrDefault(s => s.EntityKind == entity.EntityKind) is { } offered ? await offered.ListAsync(cancellationToken) : [];

    private CustomFieldEntity? Entity(string? kind) =>
        Entities.FirstOrDefault(e => e.EntityKind == kind) ?? (kind is null && Entities.Count > 0 ? Entities[0] : null);

    [GeneratedRegex("^[a-z][a-z0-9_]{1,39}$")]
    private static partial Regex KeyPattern();
}

internal sealed record FieldListPage(IReadOnlyList<CustomFieldEntity> Entities, CustomFieldEntity Entity, IReadOnlyList<FieldDefinition> Fields);

internal sealed record FieldFormPage(CustomFieldEntity Entity, FieldDefinition? Field, FieldForm Form, IReadOnlyList<CustomFieldScope> Scopes)
{
    public bool IsNew => Field is null;
}

internal sealed class FieldForm
{
    [Display(Name = "Name")]
    public string? Label { get; set; }

    [Display(Name = "Key")]
    public string? Key { get; set; }

    [Display(Name = "Type")]
    public CustomFieldType Type { get; set; }

    [Display(Name = "Required")]
    public bool Required { get; set; }

    [Display(Name = "Options")]
    public string? Options { get; set; }

    [Display(Name = "Order")]
    public int Order { get; set; }

    [Display(Name = "Applies to")]
    public string? Scope { get; set; }

    public static FieldForm From(FieldDefinition field) => new()
    {
        Label = field.Label,
        Key = field.Key,
        Type = field.Type,
        Required = field.Required,
        Options = string.Join("\n", field.Options),
        Order = field.Order,
        Scope = field.Scope,
    };
}

internal static class FieldTexts
{
    public static string Type(CustomFieldType type, IStringLocalizer L) => type switch
    {
        CustomFieldType.Number => L["Number"],
        CustomFieldType.Money => L["Money"],
        CustomFieldType.Date => L["Date"],
        CustomFieldType.List => L["List"],
        CustomFieldType.MultiList => L["Multiple choice"],
        CustomFieldType.YesNo => L["Yes / no"],
        CustomFieldType.User => L["User"],
        CustomFieldType.Link => L["Link"],
        _ => L["Text"],
    };
}

using System.Globalization;
using System.Text.Json;
using Crm.Tasks.Domain;
using Crm.Tasks.Editing;
using Microsoft.Extensions.Localization;

namespace Crm.Tasks.Api;

/// <summary>
/// A task's fields as the API's JSON body carries them, read field by field onto a <see cref="TaskInput"/>:
/// a new task starts from the defaults, a PATCH from <see cref="TaskInput.From"/> the task as it is, so
/// only the fields present change ("description": null clears it, leaving it out keeps it). Enums are
/// the lower-case names of <see cref="TaskEnums"/>; dueAt is an ISO 8601 instant with its offset ("Z").
/// A value of the wrong type or an unknown name is a message under the field's name, never a 500.
/// </summary>
internal static class TaskBody
{
    /// <summary>Fields a GET answers that a body may carry back unchanged (a read-modify-write): ignored.</summary>
    private static readonly HashSet<string> ReadOnly = new(StringComparer.OrdinalIgnoreCase)
    {
        "id", "status", "authorId", "assigneeDepartmentId", "linkName", "remindAt", "overdue", "overdueAt", "result", "completedAt", "completedById", "createdAt", "updatedAt", "url",
    };

    /// <summary>The input, the version the caller saw (field "version") and the messages by field (camelCase, prefixed for nested objects).</summary>
    public static TaskInput Read(JsonElement body, TaskInput start, string prefix, IStringLocalizer L, IDictionary<string, string> errors, out uint? version)
    {
        version = null;
        var input = start;
        foreach (var property in body.EnumerateObject())
        {
            var name = property.Name;
            var value = property.Value;
            var key = prefix + JsonNamingPolicy.CamelCase.ConvertName(name);
            var isNull = value.ValueKind == JsonValueKind.Null;
            switch (name.ToLowerInvariant())
            {
                case "title":
                    input = input with { Title = Text(value, key) };
                    break;
                case "description":
                    input = input with { Description = Text(value, key) };
                    break;
                case "kind":
                    input = input with { Kind = Choice(value, key, TaskEnums.ParseKind, TaskEnums.KindNames) ?? input.Kind };
                    break;
                case "priority":
                    input = input with { Priority = Choice(value, key, TaskEnums.ParsePriority, TaskEnums.PriorityNames) ?? input.Priority };
                    break;
                case "assigneeid":
                    input = input with { AssigneeId = Id(value, key) ?? (isNull ? null : input.AssigneeId) };
                    break;
                case "dueat":
                    input = input with { DueAt = Instant(value, key) };
                    break;
                case "allday":
                    input = input with { AllDay = Flag(value, key) ?? input.AllDay };
                    break;
                case "durationminutes":
                    input = input with { DurationMinutes = isNull ? null : Number(value, key) ?? input.DurationMinutes };
                    break;
                case "reminderminutes":
                    input = input with { ReminderMinutes = isNull ? null : Number(value, key) ?? input.ReminderMinutes };
                    break;
                case "linkkind":
                    input = input with { LinkKind = Text(value, key) is { Length: > 0 } kind ? kind.ToLowerInvariant() : null };
                    break;
                case "linkid":
                    input = input with { LinkId = isNull ? null : Id(value, key) ?? input.LinkId };
                    break;
                case "parentid":
                    input = input with { ParentId = isNull ? null : Id(value, key) ?? input.ParentId };
                    break;
                case "tags":
                    input = input with { Tags = Tags(value, key) ?? input.Tags };
                    break;
                case "version":
                    version = isNull ? null : Version(value, key);
                    break;
                default:
                    if (prefix.Length > 0 || !ReadOnly.Contains(name))
                    {
                        errors[key] = L["Unknown field."];
                    }

                    break;
            }
        }

        // Without a link kind there is no link: "linkKind": null unlinks, and so does a lone "linkId": null.
        if (input.LinkId is null && input.LinkKind is not null && body.TryGetProperty("linkId", out var linkId) && linkId.ValueKind == JsonValueKind.Null)
        {
            input = input with { LinkKind = null };
        }
        else if (input.LinkKind is null && body.TryGetProperty("linkKind", out var linkKind) && linkKind.ValueKind == JsonValueKind.Null)
        {
            input = input with { LinkId = null };
        }

        return input;

        string? Text(JsonElement value, string key)
        {
            if (value.ValueKind is JsonValueKind.String or JsonValueKind.Null)
            {
                return value.GetString();
            }

            errors[key] = L["Expected text."];
            return null;
        }

        T? Choice<T>(JsonElement value, string key, Func<string?, T?> parse, string[] names)
            where T : struct
        {
            if (value.ValueKind == JsonValueKind.String && parse(value.GetString()) is { } parsed)
            {
                return parsed;
            }

            errors[key] = L["Known values: {0}.", string.Join(", ", names)];
            return null;
        }

        Guid? Id(JsonElement value, string key)
        {
            if (value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (value.ValueKind == JsonValueKind.String && Guid.TryParse(value.GetString(), out var id))
            {
                return id;
            }

            errors[key] = L["Not a valid id."];
            return null;
        }

        DateTimeOffset? Instant(JsonElement value, string key)
        {
            if (value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            var text = value.ValueKind == JsonValueKind.String ? value.GetString() ?? "" : "";
            // The offset must be written: an instant without one would be read in the server's zone.
            if (text.Length > 10 && (text.EndsWith('Z') || text.EndsWith('z') || text[^6] is '+' or '-')
                && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant)
                && instant.Year is >= 1900 and <= 9000)
            {
                return instant.ToUniversalTime();
            }

            errors[key] = L["Expected an ISO 8601 instant with its offset, like 2026-03-31T07:00:00Z."];
            return null;
        }

        bool? Flag(JsonElement value, string key)
        {
            if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                return value.GetBoolean();
            }

            errors[key] = L["Expected true or false."];
            return null;
        }

        int? Number(JsonElement value, string key)
        {
            if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number))
            {
                return number;
            }

            errors[key] = L["Expected a whole number."];
            return null;
        }

        uint? Version(JsonElement value, string key)
        {
            if (value.ValueKind == JsonValueKind.Number && value.TryGetUInt32(out var number))
            {
                return number;
            }

            errors[key] = L["Expected the version a GET returned."];
            return null;
        }

        IReadOnlyList<string>? Tags(JsonElement value, string key)
        {
            if (value.ValueKind == JsonValueKind.Null)
            {
                return [];
            }

            if (value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(t => t.ValueKind == JsonValueKind.String))
            {
                return value.EnumerateArray().Select(t => t.GetString()!).ToList();
            }

            errors[key] = L["Expected a list of texts."];
            return null;
        }
    }

    /// <summary>An editor message's key as the body names the field: "DueAt" → "dueAt", "Link" → "linkId", "Next.Title" → "next.title".</summary>
    public static string FieldName(string key) =>
        string.Join('.', key.Split('.').Select(part => part == "Link" ? "linkId" : JsonNamingPolicy.CamelCase.ConvertName(part)));
}

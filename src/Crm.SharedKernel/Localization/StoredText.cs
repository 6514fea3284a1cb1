using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Localization;

namespace Crm.SharedKernel.Localization;

/// <summary>
/// A text key (<see cref="TextKey"/>) with its format arguments, kept in one text column by a job that has no
/// reader and translated where it is shown, in the reader's language: the run log's "Task {0} «{1}» set" is
/// stored with its id and title and read as "Задача {0} «{1}» поставлена" by a Russian admin. It is the key
/// mechanism of ADR 0006 (<c>L[key, args]</c>, the Russian in the module's resources) with the arguments
/// stored too. An argument is kept as it is (a name, an id, a number, an exception's message from outside),
/// or is a <see cref="StoredText"/> itself (a state, an action's kind), translated with the text.
/// <para>
/// Stored as the key alone when there are no arguments (as <c>MailSweep.Interrupted</c> is), else as JSON
/// <c>{"key":"…","args":[…]}</c>. Whatever else is read back — a row written before, a message from another
/// module — is shown as it is (translated if it happens to be a key).
/// </para>
/// </summary>
public sealed record StoredText(string Key, params object?[] Args)
{
    private const string Marker = "{\"key\":";

    // Cyrillic and quotes as they are, not \u escapes: the column's length is counted in characters. The JSON
    // is never put into HTML as it is (it is read back and the text is encoded where shown).
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The form kept in the column.</summary>
    public string Store() =>
        Args.Length == 0 ? Key : new JsonObject { ["key"] = Key, ["args"] = new JsonArray(Args.Select(Node).ToArray()) }.ToJsonString(Json);

    /// <summary>
    /// The stored form, at most <paramref name="length"/> characters: the longest plain arguments (a long error
    /// message) are shortened until it fits, so the JSON stays whole.
    /// </summary>
    public string Store(int length)
    {
        var stored = Store();
        if (stored.Length <= length)
        {
            return stored;
        }

        if (Args.Length == 0)
        {
            return stored[..length];
        }

        var args = (object?[])Args.Clone();
        while (stored.Length > length && args.Select((a, i) => (Text: a as string, i)).Where(a => a.Text is { Length: > 1 }).MaxBy(a => a.Text!.Length) is { Text: { } longest } arg)
        {
            args[arg.i] = longest[..Math.Max(1, longest.Length - (stored.Length - length) - 1)] + "…";
            stored = (this with { Args = args }).Store();
        }

        return stored.Length <= length ? stored : stored[..length];
    }

    /// <summary>The text stored by <see cref="Store()"/>, or any other text as a key without arguments.</summary>
    public static StoredText Read(string? stored)
    {
        if (string.IsNullOrEmpty(stored))
        {
            return new StoredText("");
        }

        if (stored.StartsWith(Marker, StringComparison.Ordinal))
        {
            try
            {
                if (JsonNode.Parse(stored) is JsonObject json && FromNode(json) is { } text)
                {
                    return text;
                }
            }
            catch (JsonException)
            {
                // Not ours after all (a cut one): shown as it is.
            }
        }

        return new StoredText(stored);
    }

    /// <summary>A stored text in the current UI culture, through the module's localizer.</summary>
    public static string Render(IStringLocalizer localizer, string? stored) => Read(stored).Render(localizer);

    /// <summary>This text in the current UI culture (numbers in the current culture).</summary>
    public string Render(IStringLocalizer localizer)
    {
        if (Args.Length == 0)
        {
            return localizer[Key].Value;
        }

        var args = Args.Select(a => a is StoredText inner ? inner.Render(localizer) : a ?? "").ToArray();
        try
        {
            return localizer[Key, args].Value;
        }
        catch (FormatException)
        {
            // A translation with a broken placeholder: the English text still says it.
            return string.Format(CultureInfo.CurrentCulture, Key, args);
        }
    }

    private static JsonNode? Node(object? arg) => arg switch
    {
        null => null,
        StoredText text => text.Args.Length == 0
            ? new JsonObject { ["key"] = text.Key }
            : new JsonObject { ["key"] = text.Key, ["args"] = new JsonArray(text.Args.Select(Node).ToArray()) },
        string value => JsonValue.Create(value),
        int or long or decimal or double or float => JsonValue.Create(Convert.ToDecimal(arg, CultureInfo.InvariantCulture)),
        IFormattable formattable => JsonValue.Create(formattable.ToString(null, CultureInfo.InvariantCulture)),
        _ => JsonValue.Create(arg.ToString()),
    };

    private static StoredText? FromNode(JsonObject json)
    {
        if (json["key"] is not JsonValue key || key.GetValueKind() != JsonValueKind.String)
        {
            return null;
        }

        var args = json["args"] is JsonArray array ? array.Select(Arg).ToArray() : [];
        return new StoredText(key.GetValue<string>(), args);
    }

    private static object? Arg(JsonNode? node) => node switch
    {
        JsonObject inner => FromNode(inner),
        JsonValue value when value.GetValueKind() == JsonValueKind.Number => value.GetValue<decimal>(),
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        null => null,
        _ => node.ToJsonString(),
    };
}

using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Crm.SharedKernel.Web;

/// <summary>
/// A record's row version (PostgreSQL xmin) as the REST API shows it: the ETag of a GET, and the version a
/// write expects, from the body's "version" or else the If-Match header. One reading for every module's API.
/// </summary>
public static class RowVersion
{
    public static string ETag(uint version) => $"\"{version}\"";

    /// <summary>
    /// The version the caller expects: <paramref name="body"/> when given, else If-Match (the ETag a GET gave,
    /// quoted, maybe weak); null when neither is sent or If-Match is "*". False when If-Match is not one of ours.
    /// </summary>
    public static bool TryExpected(HttpRequest request, uint? body, out uint? version)
    {
        version = body;
        if (body is not null || request.Headers.IfMatch.ToString() is not { Length: > 0 } header || header.Trim() == "*")
        {
            return true;
        }

        if (uint.TryParse(header.Replace("W/", "", StringComparison.Ordinal).Trim('"', ' '), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
        {
            version = parsed;
            return true;
        }

        return false;
    }
}

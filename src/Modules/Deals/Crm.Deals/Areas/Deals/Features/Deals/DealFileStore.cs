using Microsoft.Extensions.Configuration;

namespace Crm.Deals.Areas.Deals.Features.Deals;

/// <summary>
/// Where files attached to deals live: the "deals" folder of the files directory (Crm:Files:Directory,
/// by default {data}/files), which Clients shares for its own files in year/month folders. Files are
/// stored under a generated name, so nothing a user uploads can choose a path on the server.
/// </summary>
internal sealed class DealFileStore(IConfiguration configuration)
{
    public const long DefaultMaxBytes = 25 * 1024 * 1024;

    public string Root { get; } = Path.Combine(
        Path.GetFullPath(configuration["Crm:Files:Directory"]
            ?? Path.Combine(configuration["Crm:DataDirectory"] is { Length: > 0 } data ? data : ".data", "files")),
        "deals");

    public long MaxBytes { get; } = configuration.GetValue("Crm:Files:MaxBytes", DefaultMaxBytes);

    public async Task<string> SaveAsync(Guid id, Stream content, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var relative = Path.Combine(now.ToString("yyyy", System.Globalization.CultureInfo.InvariantCulture), now.ToString("MM", System.Globalization.CultureInfo.InvariantCulture), id.ToString("N"));
        var path = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, useAsync: true);
        await content.CopyToAsync(file, cancellationToken);
        return relative;
    }

    public bool Exists(string relative) => File.Exists(Path.Combine(Root, relative));

    public Stream Open(string relative) =>
        new FileStream(Path.Combine(Root, relative), FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, useAsync: true);

    public void Delete(string relative)
    {
        var path = Path.Combine(Root, relative);
        if (File.Exists(path))
        {
            File.Delete(path);
        }
    }
}

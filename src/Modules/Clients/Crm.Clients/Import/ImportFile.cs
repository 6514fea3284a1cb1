using System.Globalization;
using System.IO.Compression;
using System.Text;
using Microsoft.Extensions.Localization;
using MiniExcelLibs;
using MiniExcelLibs.OpenXml;

namespace Crm.Clients.Import;

/// <summary>A data row of an import file: its row number in the file (as the user sees it) and its cells as text.</summary>
internal sealed record ImportRow(int Number, string?[] Cells);

/// <summary>What is wrong with an uploaded file, in the user's language.</summary>
internal sealed class ImportFileException(string message) : Exception(message);

/// <summary>
/// Reads an uploaded .xlsx or .csv as a stream of rows, never the whole file in memory. Before reading,
/// it refuses what would hurt or mislead: a workbook that is not a zip (an old .xls, a
/// password-protected workbook, which Excel saves as an OLE container), a zip whose parts inflate far
/// beyond what a spreadsheet does (a zip bomb). CSV comes in UTF-8 or Windows-1251 and with ";", ","
/// or tab between values; both are detected. The header is the first row with at least two filled
/// cells among the first ten, so a title row above it (often merged cells) is passed over.
/// </summary>
internal sealed class ImportFile
{
    public const long MaxBytes = 50L * 1024 * 1024;
    public const int MaxRows = 1_000_000;
    public const int MaxColumns = 200;

    // A real sheet's XML compresses 5-20 times; a zip bomb thousands of times.
    private const long MaxInflatedBytes = 2L * 1024 * 1024 * 1024;
    private const int MaxRatio = 200;
    private const long RatioCheckedFrom = 10L * 1024 * 1024;

    private static readonly byte[] OleSignature = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    private static readonly byte[] ZipSignature = [0x50, 0x4B, 0x03, 0x04];

    static ImportFile() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private ImportFile(string path, ImportFormat format, int headerIndex, string[] headers, Encoding? encoding, char separator, IStringLocalizer localizer)
    {
        L = localizer;
        Path = path;
        Format = format;
        HeaderIndex = headerIndex;
        Headers = headers;
        Encoding = encoding;
        Separator = separator;
    }

    private IStringLocalizer L { get; }

    public string Path { get; }

    public ImportFormat Format { get; }

    /// <summary>Index (0-based, among all rows of the file) of the header row.</summary>
    public int HeaderIndex { get; }

    /// <summary>The header texts; an empty header cell is named after its column ("Column C").</summary>
    public IReadOnlyList<string> Headers { get; }

    public Encoding? Encoding { get; }

    public char Separator { get; }

    public static ImportFormat? FormatOf(string fileName) => System.IO.Path.GetExtension(fileName).ToUpperInvariant() switch
    {
        ".XLSX" => ImportFormat.Xlsx,
        ".CSV" or ".TXT" => ImportFormat.Csv,
        _ => null,
    };

    /// <summary>Checks the file and reads its header; throws <see cref="ImportFileException"/> with a message for the user.</summary>
    public static ImportFile Open(string path, ImportFormat format, IStringLocalizer L)
    {
        var head = new byte[8];
        int read;
        using (var stream = File.OpenRead(path))
        {
            read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }

        if (read == 0)
        {
            throw new ImportFileException(L["The file is empty."]);
        }

        if (head.AsSpan(0, read).StartsWith(OleSignature))
        {
            throw IsEncrypted(path)
                ? new ImportFileException(L["The workbook is password-protected. Save it without a password and upload it again."])
                : new ImportFileException(L["This is an old Excel file (.xls). Save it as .xlsx and upload it again."]);
        }

        if (format == ImportFormat.Xlsx)
        {
            if (!head.AsSpan(0, read).StartsWith(ZipSignature))
            {
                throw new ImportFileException(L["The file is not an Excel workbook (.xlsx): it cannot be opened."]);
            }

            CheckZip(path, L);
            var (index, headers) = FindHeader(ReadXlsx(path, 0, L).Take(50), L);
            return new ImportFile(path, format, index, headers, null, ',', L);
        }

        var encoding = DetectEncoding(path, L);
        var separator = DetectSeparator(path, encoding);
        var (csvIndex, csvHeaders) = FindHeader(ReadCsv(path, encoding, separator, 0, L).Take(50), L);
        return new ImportFile(path, format, csvIndex, csvHeaders, encoding, separator, L);
    }

    /// <summary>The data rows after the header; empty rows are passed over. Rows are numbered as in the file (1-based).</summary>
    public IEnumerable<ImportRow> Rows()
    {
        var raw = Format == ImportFormat.Xlsx ? ReadXlsx(Path, HeaderIndex + 1, L) : ReadCsv(Path, Encoding!, Separator, HeaderIndex + 1, L);
        foreach (var (number, cells) in raw)
        {
            if (Array.TrueForAll(cells, string.IsNullOrWhiteSpace))
            {
                continue;
            }

            yield return new ImportRow(number, cells.Length > Headers.Count ? cells[..Headers.Count] : cells);
        }
    }

    private static (int Index, string[] Headers) FindHeader(IEnumerable<(int Number, string?[] Cells)> rows, IStringLocalizer L)
    {
        (int Number, string?[] Cells)? first = null;
        var nonEmptySeen = 0;
        try
        {
            foreach (var row in rows)
            {
                var filled = row.Cells.Count(c => !string.IsNullOrWhiteSpace(c));
                if (filled == 0)
                {
                    continue;
                }

                first ??= row;
                if (filled >= 2)
                {
                    return (row.Number - 1, Named(row.Cells, L));
                }

                if (++nonEmptySeen >= 10)
                {
                    break;
                }
            }
        }
        catch (ImportFileException)
        {
            throw;
        }
        catch (Exception exception) when (exception is InvalidDataException or IOException or System.Xml.XmlException or InvalidOperationException or FormatException or ArgumentException)
        {
            throw new ImportFileException(L["The file cannot be read: it is damaged or not a spreadsheet."]);
        }

        return first is { } single ? (single.Number - 1, Named(single.Cells, L)) : throw new ImportFileException(L["The file has no rows."]);
    }

    private static string[] Named(string?[] cells, IStringLocalizer L)
    {
        var last = Array.FindLastIndex(cells, c => !string.IsNullOrWhiteSpace(c));
        if (last + 1 > MaxColumns)
        {
            throw new ImportFileException(L["The file has more than {0} columns.", MaxColumns]);
        }

        return cells.Take(last + 1).Select((c, i) => string.IsNullOrWhiteSpace(c) ? "#" + ColumnName(i) : c.Trim()).ToArray();
    }

    /// <summary>"A", "B", … "AA": the column letters a spreadsheet shows.</summary>
    public static string ColumnName(int index)
    {
        var name = "";
        for (var i = index + 1; i > 0; i = (i - 1) / 26)
        {
            name = (char)('A' + ((i - 1) % 26)) + name;
        }

        return name;
    }

    private static void CheckZip(string path, IStringLocalizer L)
    {
        try
        {
            using var zip = ZipFile.OpenRead(path);
            long inflated = 0;
            foreach (var entry in zip.Entries)
            {
                inflated += entry.Length;
                if (inflated > MaxInflatedBytes || (entry.Length > RatioCheckedFrom && entry.Length > (long)MaxRatio * Math.Max(entry.CompressedLength, 1)))
                {
                    throw new ImportFileException(L["The workbook unpacks to far more data than a spreadsheet holds; it looks like a zip bomb and was not read."]);
                }
            }

            if (zip.GetEntry("xl/workbook.xml") is null)
            {
                throw new ImportFileException(L["The file is not an Excel workbook (.xlsx): it cannot be opened."]);
            }
        }
        catch (InvalidDataException)
        {
            throw new ImportFileException(L["The file cannot be read: it is damaged or not a spreadsheet."]);
        }
    }

    /// <summary>An encrypted OOXML workbook is an OLE container with an "EncryptionInfo" stream (its name in UTF-16).</summary>
    private static bool IsEncrypted(string path)
    {
        var marker = Encoding.Unicode.GetBytes("EncryptionInfo");
        using var stream = File.OpenRead(path);
        var buffer = new byte[Math.Min(stream.Length, 1024 * 1024)];
        var read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        return buffer.AsSpan(0, read).IndexOf(marker) >= 0;
    }

    private static IEnumerable<(int Number, string?[] Cells)> ReadXlsx(string path, int skip, IStringLocalizer L)
    {
        var configuration = new OpenXmlConfiguration { FillMergedCells = true, EnableSharedStringCache = true };
        var number = 0;
        IEnumerator<dynamic> rows;
        try
        {
            rows = MiniExcel.Query(path, useHeaderRow: false, excelType: ExcelType.XLSX, configuration: configuration).GetEnumerator();
        }
        catch (Exception exception) when (exception is InvalidDataException or IOException or System.Xml.XmlException or InvalidOperationException)
        {
            throw new ImportFileException(L["The file cannot be read: it is damaged or not a spreadsheet."]);
        }

        using (rows)
        {
            while (true)
            {
                try
                {
                    if (!rows.MoveNext())
                    {
                        yield break;
                    }
                }
                catch (Exception exception) when (exception is InvalidDataException or IOException or System.Xml.XmlException or InvalidOperationException or FormatException or ArgumentException or KeyNotFoundException)
                {
                    throw new ImportFileException(L["The file cannot be read: it is damaged or not a spreadsheet."]);
                }

                number++;
                if (number <= skip)
                {
                    continue;
                }

                var row = (IDictionary<string, object?>)rows.Current;
                var cells = new string?[Math.Min(row.Count, MaxColumns)];
                var i = 0;
                foreach (var value in row.Values)
                {
                    if (i >= cells.Length)
                    {
                        break;
                    }

                    cells[i++] = CellText(value);
                }

                yield return (number, cells);
            }
        }
    }

    /// <summary>
    /// A cell as the user typed it: a phone or an INN typed as a number must not become "7.9E10" or lose
    /// its digits, so whole numbers are written without exponent or decimals; dates as yyyy-MM-dd.
    /// </summary>
    public static string? CellText(object? value) => value switch
    {
        null => null,
        string text => text,
        double number when number == Math.Floor(number) && Math.Abs(number) < 1e17 => ((decimal)number).ToString("0", CultureInfo.InvariantCulture),
        double number => number.ToString("R", CultureInfo.InvariantCulture),
        decimal number => number.ToString(CultureInfo.InvariantCulture),
        DateTime date when date.TimeOfDay == TimeSpan.Zero => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime date => date.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
        bool flag => flag ? "1" : "0",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    /// <summary>UTF-8 when the bytes are valid UTF-8 (with or without a BOM); otherwise Windows-1251, what Russian Excel saves.</summary>
    private static Encoding DetectEncoding(string path, IStringLocalizer L)
    {
        using var stream = File.OpenRead(path);
        var buffer = new byte[Math.Min(stream.Length, 256 * 1024)];
        var read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        if (buffer.AsSpan(0, read).IndexOf((byte)0) >= 0)
        {
            throw new ImportFileException(L["The file is not a text (CSV) file."]);
        }

        var decoder = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetDecoder();
        try
        {
            var chars = new char[read + 1];
            decoder.GetChars(buffer, 0, read, chars, 0, flush: read == stream.Length);
            return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        }
        catch (DecoderFallbackException)
        {
            return Encoding.GetEncoding(1251);
        }
    }

    /// <summary>The separator is whichever of ";", "," and tab the first line has most of outside quotes.</summary>
    private static char DetectSeparator(string path, Encoding encoding)
    {
        using var reader = new StreamReader(path, encoding, detectEncodingFromByteOrderMarks: true);
        var counts = new Dictionary<char, int> { [';'] = 0, [','] = 0, ['\t'] = 0 };
        var quoted = false;
        for (var c = reader.Read(); c >= 0 && (quoted || (c != '\n' && c != '\r')); c = reader.Read())
        {
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (!quoted && counts.ContainsKey((char)c))
            {
                counts[(char)c]++;
            }
        }

        return counts.MaxBy(p => p.Value).Key;
    }

    /// <summary>RFC 4180: quoted values may hold separators, quotes ("") and line breaks.</summary>
    private static IEnumerable<(int Number, string?[] Cells)> ReadCsv(string path, Encoding encoding, char separator, int skip, IStringLocalizer L)
    {
        using var reader = new StreamReader(path, encoding, detectEncodingFromByteOrderMarks: true, bufferSize: 64 * 1024);
        var number = 0;
        var cells = new List<string?>();
        var value = new StringBuilder();
        var quoted = false;
        var rowStarted = false;
        while (true)
        {
            var c = reader.Read();
            if (c < 0)
            {
                if (rowStarted || value.Length > 0 || cells.Count > 0)
                {
                    cells.Add(value.ToString());
                    number++;
                    if (number > skip)
                    {
                        yield return (number, cells.ToArray());
                    }
                }

                yield break;
            }

            rowStarted = true;
            if (quoted)
            {
                if (c == '"')
                {
                    if (reader.Peek() == '"')
                    {
                        reader.Read();
                        value.Append('"');
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    value.Append((char)c);
                }

                continue;
            }

            if (c == '"' && value.Length == 0)
            {
                quoted = true;
            }
            else if (c == separator)
            {
                cells.Add(value.ToString());
                value.Clear();
                if (cells.Count > MaxColumns * 5)
                {
                    throw new ImportFileException(L["The file has more than {0} columns.", MaxColumns]);
                }
            }
            else if (c is '\n' or '\r')
            {
                if (c == '\r' && reader.Peek() == '\n')
                {
                    reader.Read();
                }

                cells.Add(value.ToString());
                value.Clear();
                number++;
                if (number > skip)
                {
                    yield return (number, cells.Take(MaxColumns).ToArray());
                }

                cells.Clear();
                rowStarted = false;
            }
            else
            {
                value.Append((char)c);
                if (value.Length > 100_000)
                {
                    throw new ImportFileException(L["Row {0} has a value longer than 100 000 characters: the file is not a table.", number + 1]);
                }
            }
        }
    }
}

internal enum ImportFormat
{
    Xlsx,
    Csv,
}

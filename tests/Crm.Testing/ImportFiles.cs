using System.Globalization;
using System.IO.Compression;
using System.Security;
using System.Text;

namespace Crm.Testing;

/// <summary>
/// Import files built in the test, byte by byte, so each test shows exactly what the file holds: an
/// .xlsx written as its XML parts (numbers as number cells, merged cells, empty rows), CSV in a chosen
/// encoding, and the bad ones (damaged, zip bomb, password-protected).
/// </summary>
public static class ImportFiles
{
    /// <summary>A workbook with one sheet. A cell that is a double or an int is a number cell; null is no cell.</summary>
    public static byte[] Xlsx(IReadOnlyList<object?[]> rows, params string[] mergedRanges)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            Add(zip, "[Content_Types].xml",
                """<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>""");
            Add(zip, "_rels/.rels",
                """<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>""");
            Add(zip, "xl/workbook.xml",
                """<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>""");
            Add(zip, "xl/_rels/workbook.xml.rels",
                """<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>""");
            var sheet = new StringBuilder("""<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>""");
            for (var r = 0; r < rows.Count; r++)
            {
                sheet.Append(CultureInfo.InvariantCulture, $"<row r=\"{r + 1}\">");
                for (var c = 0; c < rows[r].Length; c++)
                {
                    var reference = Column(c) + (r + 1).ToString(CultureInfo.InvariantCulture);
                    switch (rows[r][c])
                    {
                        case null:
                            break;
                        case double or int or long or decimal:
                            sheet.Append(CultureInfo.InvariantCulture, $"<c r=\"{reference}\"><v>{Convert.ToString(rows[r][c], CultureInfo.InvariantCulture)}</v></c>");
                            break;
                        default:
                            sheet.Append(CultureInfo.InvariantCulture, $"<c r=\"{reference}\" t=\"inlineStr\"><is><t>{SecurityElement.Escape(rows[r][c]!.ToString())}</t></is></c>");
                            break;
                    }
                }

                sheet.Append("</row>");
            }

            sheet.Append("</sheetData>");
            if (mergedRanges.Length > 0)
            {
                sheet.Append(CultureInfo.InvariantCulture, $"<mergeCells count=\"{mergedRanges.Length}\">");
                foreach (var range in mergedRanges)
                {
                    sheet.Append(CultureInfo.InvariantCulture, $"<mergeCell ref=\"{range}\"/>");
                }

                sheet.Append("</mergeCells>");
            }

            sheet.Append("</worksheet>");
            Add(zip, "xl/worksheets/sheet1.xml", sheet.ToString());
        }

        return buffer.ToArray();
    }

    /// <summary>CSV text in the given encoding ("windows-1251", "utf-8").</summary>
    public static byte[] Csv(string text, string encoding)
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(encoding).GetBytes(text);
    }

    /// <summary>A workbook whose sheet inflates from a few kilobytes to <paramref name="inflatedMegabytes"/> MB.</summary>
    public static byte[] ZipBomb(int inflatedMegabytes)
    {
        var honest = Xlsx([["Name"], ["A"]]);
        using var buffer = new MemoryStream();
        buffer.Write(honest);
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Update, leaveOpen: true))
        {
            zip.GetEntry("xl/worksheets/sheet1.xml")!.Delete();
            using var sheet = zip.CreateEntry("xl/worksheets/sheet1.xml", CompressionLevel.SmallestSize).Open();
            var spaces = new byte[1024 * 1024];
            Array.Fill(spaces, (byte)' ');
            for (var i = 0; i < inflatedMegabytes; i++)
            {
                sheet.Write(spaces);
            }
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// What Excel writes for a workbook with a password: not a zip but an OLE compound file holding an
    /// "EncryptionInfo" and an "EncryptedPackage" stream (here the header and directory names only).
    /// </summary>
    public static byte[] PasswordProtected()
    {
        var bytes = new byte[4096];
        byte[] signature = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        signature.CopyTo(bytes, 0);
        Encoding.Unicode.GetBytes("EncryptionInfo").CopyTo(bytes, 1024);
        Encoding.Unicode.GetBytes("EncryptedPackage").CopyTo(bytes, 1152);
        return bytes;
    }

    /// <summary>An old binary .xls: an OLE compound file with a "Workbook" stream.</summary>
    public static byte[] OldXls()
    {
        var bytes = PasswordProtected();
        Array.Clear(bytes, 1024, 200);
        Encoding.Unicode.GetBytes("Workbook").CopyTo(bytes, 1024);
        return bytes;
    }

    private static void Add(ZipArchive zip, string name, string content)
    {
        using var writer = new StreamWriter(zip.CreateEntry(name).Open(), new UTF8Encoding(false));
        writer.Write(content);
    }

    private static string Column(int index)
    {
        var name = "";
        for (var i = index + 1; i > 0; i = (i - 1) / 26)
        {
            name = (char)('A' + ((i - 1) % 26)) + name;
        }

        return name;
    }
}

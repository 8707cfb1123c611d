using System.Buffers.Binary;

namespace StreamForge.Media;

/// <summary>
/// What an uploaded poster claims to be, read from its first bytes without decoding it: PNG (signature, then an IHDR
/// chunk whose CRC matches) or JPEG (SOI, then a frame header before the scan). Enough to refuse a file that is not
/// an image, or whose dimensions would make decoding it cost gigabytes, before anything runs on it.
/// </summary>
public sealed record ImageHeader(ImageKind Kind, int Width, int Height)
{
    /// <summary>The one ffmpeg demuxer that may open the file.</summary>
    public string Demuxer => Kind == ImageKind.Png ? "png_pipe" : "jpeg_pipe";

    private static ReadOnlySpan<byte> PngSignature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>The header, or null with <paramref name="problem"/> saying (for the uploader) why the bytes are not a usable image.</summary>
    public static ImageHeader? Read(ReadOnlySpan<byte> bytes, out string problem)
    {
        problem = "";
        if (bytes.StartsWith(PngSignature)) return ReadPng(bytes, out problem);
        if (bytes.Length >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF) return ReadJpeg(bytes, out problem);
        problem = "The file is not a JPEG or PNG image.";
        return null;
    }

    private static ImageHeader? ReadPng(ReadOnlySpan<byte> bytes, out string problem)
    {
        problem = "The PNG image is damaged: its header (IHDR) is missing or corrupt.";
        // signature (8) + length (4) + "IHDR" (4) + 13 bytes of data + CRC (4)
        if (bytes.Length < 33 || BinaryPrimitives.ReadUInt32BigEndian(bytes[8..]) != 13 || !bytes[12..16].SequenceEqual("IHDR"u8))
        {
            return null;
        }

        if (Crc32(bytes[12..29]) != BinaryPrimitives.ReadUInt32BigEndian(bytes[29..]))
        {
            return null;
        }

        var width = BinaryPrimitives.ReadUInt32BigEndian(bytes[16..]);
        var height = BinaryPrimitives.ReadUInt32BigEndian(bytes[20..]);
        if (width is 0 or > int.MaxValue || height is 0 or > int.MaxValue) return null;
        problem = "";
        return new ImageHeader(ImageKind.Png, (int)width, (int)height);
    }

    private static ImageHeader? ReadJpeg(ReadOnlySpan<byte> bytes, out string problem)
    {
        problem = "The JPEG image is damaged: no frame header before its image data.";
        var at = 2;
        while (at + 4 <= bytes.Length)
        {
            if (bytes[at] != 0xFF) return null;
            var marker = bytes[at + 1];
            if (marker == 0xFF) { at++; continue; }  // fill byte
            if (marker is 0x01 or >= 0xD0 and <= 0xD7) { at += 2; continue; }  // no length
            if (marker is 0xD9 or 0xDA) return null;  // end of image or start of scan before any frame header
            var length = BinaryPrimitives.ReadUInt16BigEndian(bytes[(at + 2)..]);
            if (length < 2) return null;
            // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC).
            if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
            {
                if (length < 8 || at + 9 > bytes.Length) return null;
                var height = BinaryPrimitives.ReadUInt16BigEndian(bytes[(at + 5)..]);
                var width = BinaryPrimitives.ReadUInt16BigEndian(bytes[(at + 7)..]);
                if (width == 0 || height == 0) return null;
                problem = "";
                return new ImageHeader(ImageKind.Jpeg, width, height);
            }

            at += 2 + length;
        }

        return null;
    }

    private static readonly uint[] CrcTable = Enumerable.Range(0, 256).Select(n =>
    {
        var c = (uint)n;
        for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        return c;
    }).ToArray();

    /// <summary>PNG's CRC-32 (ISO 3309), over a chunk's type and data.</summary>
    internal static uint Crc32(ReadOnlySpan<byte> data)
    {
        var c = 0xFFFFFFFFu;
        foreach (var b in data) c = CrcTable[(c ^ b) & 0xFF] ^ (c >> 8);
        return c ^ 0xFFFFFFFFu;
    }
}

public enum ImageKind
{
    Png,
    Jpeg,
}

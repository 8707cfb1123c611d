using System.Text;

namespace StreamForge.Media;

/// <summary>
/// A cheap look at a source's first bytes, before any tool opens it, so that the text and image formats which make a
/// demuxer open other files or URLs (playlists, concat lists, image sequences, SDP, ...) get a precise message. The
/// hard guard is the demuxer allowlist given to ffprobe and ffmpeg (<see cref="InputGuard"/>); this only names the
/// refusal.
/// </summary>
public static class SourceSniffer
{
    public const int SniffBytes = 4096;

    public const string Accepted = "Upload MP4, MOV, MKV, WebM, AVI, MPEG-TS, MPEG-PS, FLV, OGG or WMV/ASF video.";

    /// <summary>What the file looks like when it is one of the refused classes, else null (let ffprobe decide).</summary>
    public static string? Identify(ReadOnlySpan<byte> head)
    {
        if (head.IsEmpty)
        {
            return "an empty file";
        }

        if (StartsWith(head, [0x89, (byte)'P', (byte)'N', (byte)'G']))
        {
            return "a PNG image";
        }

        if (StartsWith(head, [0xFF, 0xD8, 0xFF]))
        {
            return "a JPEG image";
        }

        if (StartsWith(head, "GIF8"u8))
        {
            return "a GIF image";
        }

        if (StartsWith(head, "BM"u8) && head.Length > 14 && head[6] == 0 && head[7] == 0)
        {
            return "a BMP image";
        }

        if (StartsWith(head, "RIFF"u8) && head.Length >= 12 && head[8..12].SequenceEqual("WEBP"u8))
        {
            return "a WebP image";
        }

        var text = Encoding.UTF8.GetString(head).TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        if (text.StartsWith("#EXTM3U", StringComparison.OrdinalIgnoreCase) || text.Contains("#EXT-X-", StringComparison.OrdinalIgnoreCase))
        {
            return "an HLS playlist";
        }

        if (text.Contains("<MPD", StringComparison.Ordinal) || text.Contains("urn:mpeg:dash:schema", StringComparison.Ordinal))
        {
            return "a DASH manifest";
        }

        if (text.StartsWith("ffconcat", StringComparison.OrdinalIgnoreCase)
            || text.StartsWith("file ", StringComparison.Ordinal)
            || text.Contains("\nfile ", StringComparison.Ordinal))
        {
            return "a concat list";
        }

        if (text.StartsWith(";FFMETADATA", StringComparison.Ordinal))
        {
            return "an ffmetadata file";
        }

        if (text.StartsWith("v=0", StringComparison.Ordinal) && (text.Contains("\nm=", StringComparison.Ordinal) || text.Contains("\no=", StringComparison.Ordinal)))
        {
            return "an SDP session description";
        }

        if (text.StartsWith("WEBVTT", StringComparison.Ordinal) || text.Contains(" --> ", StringComparison.Ordinal))
        {
            return "a subtitle file";
        }

        return LooksLikeText(head) ? "a text file" : null;
    }

    /// <summary>Reads the first <see cref="SniffBytes"/> of a file and throws the readable refusal when it is a refused class.</summary>
    public static void EnsureNotIndirect(string path)
    {
        var buffer = new byte[SniffBytes];
        int read;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.None))
        {
            read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        }

        if (Identify(buffer.AsSpan(0, read)) is { } kind)
        {
            throw MediaException.Permanent(NotAcceptedMessage(kind));
        }
    }

    public static string NotAcceptedMessage(string kind) => $"This file is not a video we accept (it looks like {kind}). {Accepted}";

    /// <summary>Control bytes other than tab/CR/LF/ESC/FF are rare in text and common in every binary container.</summary>
    private static bool LooksLikeText(ReadOnlySpan<byte> head)
    {
        var sample = head[..Math.Min(head.Length, 1024)];
        foreach (var b in sample)
        {
            if (b < 0x20 && b is not (0x09 or 0x0A or 0x0D or 0x1B or 0x0C))
            {
                return false;
            }
        }

        return System.Text.Unicode.Utf8.IsValid(sample) || sample.Length == 1024;
    }

    private static bool StartsWith(ReadOnlySpan<byte> head, ReadOnlySpan<byte> magic) => head.StartsWith(magic);
}

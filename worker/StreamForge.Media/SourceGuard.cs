using System.Text;

namespace StreamForge.Media;

/// <summary>
/// Keeps an uploaded file data, never instructions. Some demuxers open other files or URLs named inside the file
/// (HLS/DASH playlists, concat lists, image sequences, SDP, and through them data:, subfile: or tee: URLs), which
/// would turn a text file named "clip.mp4" into a way to publish any file the worker can read. So the tools open the
/// source as a plain local file with a container allowlist (<see cref="InputArguments"/>), and text formats are
/// refused before any tool runs with a message that says what the file looked like (<see cref="Inspect"/>).
/// </summary>
public static class SourceGuard
{
    /// <summary>Real video containers by ffmpeg demuxer name: MP4/MOV family, Matroska/WebM, AVI, MPEG-TS/PS, FLV, Ogg, ASF/WMV.</summary>
    public const string DemuxerAllowlist = "mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,avi,mpegts,mpeg,flv,ogg,asf";

    public const string AcceptedFormats = "MP4, MOV, MKV, WebM, AVI, MPEG-TS, MPEG-PS, FLV, Ogg or WMV";

    /// <summary>How many leading bytes <see cref="Inspect"/> reads.</summary>
    public const int SniffBytes = 4096;

    /// <summary>
    /// Input options for ffprobe and ffmpeg, placed before <c>-i</c>: only the file protocol (no http, data, subfile,
    /// tee, concat, pipe…) and only allowlisted demuxers; a nested demuxer (an AVI's embedded subtitle stream, a
    /// playlist) inherits both lists. MOV data references to other files are off by default (<c>enable_drefs</c>);
    /// it cannot be passed here explicitly because ffmpeg refuses the option for every other container.
    /// </summary>
    public static IReadOnlyList<string> InputArguments() =>
        ["-protocol_whitelist", "file", "-format_whitelist", DemuxerAllowlist];

    /// <summary>The message for a source no allowlisted demuxer accepts.</summary>
    public static string NotAcceptedMessage(string? lookedLike) =>
        $"This file is not a video we accept{(lookedLike is null ? "" : $" (it looks like {lookedLike})")}. Upload an {AcceptedFormats} file.";

    /// <exception cref="MediaException">Permanent, when the file is empty or a text format.</exception>
    public static void Inspect(string path)
    {
        var head = new byte[SniffBytes];
        int read;
        using (var file = File.OpenRead(path))
        {
            read = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }

        if (read == 0)
        {
            throw MediaException.Permanent("The file is empty. Upload the video again.");
        }

        if (DescribeText(head.AsSpan(0, read)) is { } kind)
        {
            throw MediaException.Permanent(NotAcceptedMessage(kind));
        }
    }

    /// <summary>What a text file looks like ("an HLS playlist"), or null for binary data.</summary>
    public static string? DescribeText(ReadOnlySpan<byte> head)
    {
        // A UTF-8 byte order mark does not make text a video.
        if (head.StartsWith("\uFEFF"u8))
        {
            head = head[3..];
        }

        if (!LooksLikeText(head))
        {
            return null;
        }

        var text = Encoding.UTF8.GetString(head).TrimStart();
        bool Starts(string prefix) => text.StartsWith(prefix, StringComparison.OrdinalIgnoreCase);
        bool Has(string fragment) => text.Contains(fragment, StringComparison.OrdinalIgnoreCase);

        if (Starts("#EXTM3U") || Has("#EXT-X-")) return "an HLS playlist";
        if (Starts("ffconcat") || text.Split('\n').Any(l => l.TrimStart().StartsWith("file ", StringComparison.Ordinal))) return "a concat list";
        if (Has("<MPD") || Has("urn:mpeg:dash")) return "a DASH manifest";
        if (Starts("<?xml") || Starts("<")) return "an XML or HTML document";
        if (Starts(";FFMETADATA")) return "an ffmpeg metadata file";
        if (Starts("WEBVTT")) return "a WebVTT subtitle file";
        if (Starts("v=0") || Has("\nm=video") || Has("\nc=IN ")) return "an SDP session description";
        if (Starts("[Script Info]")) return "an ASS subtitle file";
        if (System.Text.RegularExpressions.Regex.IsMatch(text, @"^\d+\s*\r?\n\d\d:\d\d:\d\d[,.]\d+ -->")) return "an SRT subtitle file";
        if (Starts("YUV4MPEG2")) return "a raw YUV stream";
        return "a text file";
    }

    /// <summary>Printable ASCII/UTF-8 and ordinary whitespace only: no container starts like that.</summary>
    private static bool LooksLikeText(ReadOnlySpan<byte> head)
    {
        foreach (var b in head)
        {
            if (b < 0x09 || b is > 0x0D and < 0x20 || b == 0x7F)
            {
                return false;
            }
        }

        return true;
    }
}

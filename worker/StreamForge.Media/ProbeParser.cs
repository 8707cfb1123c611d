using System.Globalization;
using System.Text.Json;

namespace StreamForge.Media;

/// <summary>Parses the JSON of <c>ffprobe -v error -print_format json -show_format -show_streams</c>.</summary>
public static class ProbeParser
{
    /// <exception cref="MediaException">Permanent: no video stream, no duration, zero dimensions, unreadable JSON.</exception>
    public static ProbeResult Parse(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw MediaException.Permanent($"ffprobe output is not valid JSON: {ex.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            var format = root.TryGetProperty("format", out var f) && f.ValueKind == JsonValueKind.Object ? f : default;
            var streams = root.TryGetProperty("streams", out var s) && s.ValueKind == JsonValueKind.Array
                ? s.EnumerateArray().ToList()
                : [];

            var videoElement = streams.FirstOrDefault(IsRealVideo);
            if (videoElement.ValueKind != JsonValueKind.Object)
            {
                throw MediaException.Permanent(NoVideoMessage(streams));
            }

            var video = ParseVideo(videoElement);
            var audio = streams.Where(e => GetString(e, "codec_type") == "audio").Select(ParseAudio).ToList();

            var duration = GetDouble(format, "duration") ?? GetDouble(videoElement, "duration");
            if (duration is not > 0 || double.IsInfinity(duration.Value))
            {
                throw MediaException.Permanent("the file has no duration (empty or unsupported media)");
            }

            return new ProbeResult(
                FormatName: GetString(format, "format_name") ?? "unknown",
                DurationSeconds: duration.Value,
                SizeBytes: GetLong(format, "size") ?? 0,
                BitRate: GetLong(format, "bit_rate"),
                Video: video,
                Audio: audio.FirstOrDefault(),
                StreamCount: streams.Count,
                AudioStreams: audio);
        }
    }

    /// <summary>An audio file (with or without cover art) deserves a hint of what is wrong.</summary>
    private static string NoVideoMessage(List<JsonElement> streams) =>
        streams.Any(e => GetString(e, "codec_type") == "audio")
            ? "the file has no video stream (it contains only audio)"
            : "the file has no video stream";

    /// <summary>A video stream that is not cover art (an attached picture in an audio file is no video).</summary>
    private static bool IsRealVideo(JsonElement stream) =>
        GetString(stream, "codec_type") == "video"
        && !(stream.TryGetProperty("disposition", out var d) && GetLong(d, "attached_pic") == 1);

    private static VideoStreamInfo ParseVideo(JsonElement stream)
    {
        var width = (int)(GetLong(stream, "width") ?? 0);
        var height = (int)(GetLong(stream, "height") ?? 0);
        if (width <= 0 || height <= 0)
        {
            throw MediaException.Permanent($"the video stream has no picture size ({width}x{height})");
        }

        var rotation = ParseRotation(stream);
        var sar = ParseRatio(GetString(stream, "sample_aspect_ratio"));
        var shownWidth = sar is > 0 ? Math.Max(1, (int)Math.Round(width * sar.Value)) : width;
        var (displayWidth, displayHeight) = rotation is 90 or 270 ? (height, shownWidth) : (shownWidth, height);
        var pixelFormat = GetString(stream, "pix_fmt");

        return new VideoStreamInfo(
            StreamIndex: (int)(GetLong(stream, "index") ?? 0),
            Codec: GetString(stream, "codec_name") ?? "unknown",
            Profile: GetString(stream, "profile"),
            PixelFormat: pixelFormat,
            Width: width,
            Height: height,
            Rotation: rotation,
            DisplayWidth: displayWidth,
            DisplayHeight: displayHeight,
            FrameRate: ParseRatio(GetString(stream, "avg_frame_rate")) ?? ParseRatio(GetString(stream, "r_frame_rate")) ?? 0,
            BitDepth: (int?)GetLong(stream, "bits_per_raw_sample") ?? BitDepthOf(pixelFormat));
    }

    private static AudioStreamInfo ParseAudio(JsonElement stream) => new(
        StreamIndex: (int)(GetLong(stream, "index") ?? 0),
        Codec: GetString(stream, "codec_name") ?? "unknown",
        Channels: (int)(GetLong(stream, "channels") ?? 0),
        SampleRate: (int)(GetLong(stream, "sample_rate") ?? 0),
        Language: Tag(stream, "language"),
        Title: Tag(stream, "title"));

    /// <summary>A stream tag; containers differ in case ("language" in MP4, "LANGUAGE" in some Matroska muxers).</summary>
    private static string? Tag(JsonElement stream, string name)
    {
        if (!stream.TryGetProperty("tags", out var tags) || tags.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var tag in tags.EnumerateObject())
        {
            if (string.Equals(tag.Name, name, StringComparison.OrdinalIgnoreCase) && tag.Value.ValueKind == JsonValueKind.String)
            {
                var value = tag.Value.GetString()?.Trim();
                return string.IsNullOrEmpty(value) ? null : value;
            }
        }

        return null;
    }

    /// <summary>Display-matrix rotation (side data) wins over the legacy <c>tags.rotate</c>; normalised to 0..359 in steps of 90.</summary>
    internal static int ParseRotation(JsonElement stream)
    {
        double? degrees = null;
        if (stream.TryGetProperty("side_data_list", out var sideData) && sideData.ValueKind == JsonValueKind.Array)
        {
            degrees = sideData.EnumerateArray().Select(e => GetDouble(e, "rotation")).FirstOrDefault(r => r is not null);
        }

        if (degrees is null && stream.TryGetProperty("tags", out var tags))
        {
            degrees = GetDouble(tags, "rotate");
        }

        if (degrees is null)
        {
            return 0;
        }

        var quarter = (int)Math.Round(degrees.Value / 90.0);
        return ((quarter % 4) + 4) % 4 * 90;
    }

    /// <summary>"30000/1001" → 29.97; "0/0", "N/A" or garbage → null.</summary>
    internal static double? ParseRatio(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var parts = text.Split('/', ':');
        if (parts.Length == 2
            && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var num)
            && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var den)
            && num > 0 && den > 0)
        {
            return num / den;
        }

        return parts.Length == 1 && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : null;
    }

    private static int BitDepthOf(string? pixelFormat) => pixelFormat switch
    {
        null => 8,
        _ when pixelFormat.Contains("16") => 16,
        _ when pixelFormat.Contains("12") => 12,
        _ when pixelFormat.Contains("10") => 10,
        _ when pixelFormat.Contains("9") => 9,
        _ => 8,
    };

    private static string? GetString(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                _ => null,
            }
            : null;

    private static double? GetDouble(JsonElement element, string name) =>
        double.TryParse(GetString(element, name), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : null;

    private static long? GetLong(JsonElement element, string name) =>
        GetDouble(element, name) is { } value ? (long)value : null;
}

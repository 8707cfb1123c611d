using System.Globalization;

namespace StreamForge.Media.Tests.Support;

/// <summary>ffmpeg/ffprobe calls the tests make to generate clips and check outputs (through the library's runner).</summary>
public static class Tools
{
    private static readonly ProcessRunner Runner = new();

    /// <summary>Runs a tool, fails the test on a non-zero exit, returns stdout.</summary>
    public static async Task<string> OutputAsync(string tool, params string[] args)
    {
        var stdout = new System.Text.StringBuilder();
        var result = await Runner.RunAsync(tool, args, line => stdout.AppendLine(line));
        Assert.True(result.ExitCode == 0, $"{tool} {string.Join(' ', args)} failed ({result.ExitCode}): {result.StderrTail}");
        return stdout.ToString();
    }

    /// <summary>
    /// A testsrc2 (+ sine) clip encoded with ultrafast x264. Moov at the end (ffmpeg's default), so truncating it
    /// makes it unreadable.
    /// </summary>
    /// <param name="pixelFormat">yuv420p needs even sizes: odd-sized clips use yuv444p (and testsrc, which allows them).</param>
    public static async Task GenerateClipAsync(
        string path, int width, int height, double seconds, bool audio = true, int fps = 30, string pixelFormat = "yuv420p")
    {
        var pattern = width % 2 == 0 && height % 2 == 0 ? "testsrc2" : "testsrc";
        var d = seconds.ToString(CultureInfo.InvariantCulture);
        var args = new List<string>
        {
            "-hide_banner", "-nostdin", "-y", "-v", "error",
            "-f", "lavfi", "-i", $"{pattern}=size={width}x{height}:rate={fps}:duration={d}",
        };
        if (audio)
        {
            args.AddRange(["-f", "lavfi", "-i", $"sine=frequency=440:sample_rate=44100:duration={d}"]);
        }

        args.AddRange(["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", pixelFormat]);
        if (audio)
        {
            args.AddRange(["-c:a", "aac", "-b:a", "96k"]);
        }

        args.Add(path);
        await OutputAsync("ffmpeg", [.. args]);
    }

    /// <summary>
    /// Presented span of the packets of the first stream: max(pts + duration) − min(pts), in seconds, where time
    /// before 0 (AAC priming, cut by the edit list) is not presented. A packet whose duration ffprobe reports as N/A
    /// (the first AAC packet after an edit list) counts with the usual packet duration.
    /// </summary>
    public static async Task<double> PacketSpanAsync(string path)
    {
        var csv = await OutputAsync("ffprobe", "-v", "error", "-select_streams", "0", "-show_entries", "packet=pts_time,duration_time", "-of", "csv=p=0", path);
        var packets = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Trim().Split(','))
            .Select(p => (Pts: double.Parse(p[0], CultureInfo.InvariantCulture), Dur: double.TryParse(p[1], CultureInfo.InvariantCulture, out var d) ? d : (double?)null))
            .ToList();
        Assert.NotEmpty(packets);
        var usual = packets.Where(p => p.Dur is not null).GroupBy(p => p.Dur!.Value).OrderByDescending(g => g.Count()).First().Key;
        return packets.Max(p => p.Pts + (p.Dur ?? usual)) - Math.Max(0, packets.Min(p => p.Pts));
    }

    /// <summary>The top-level streams ffprobe sees in a file (for an MPD: its representations), as "type,width,height".</summary>
    public static async Task<IReadOnlyList<string>> StreamsAsync(string path)
    {
        var json = await OutputAsync("ffprobe", "-v", "error", "-show_entries", "stream=codec_type,width,height", "-of", "json", path);
        return System.Text.Json.Nodes.JsonNode.Parse(json)!["streams"]!.AsArray()
            .Select(s => string.Join(',', new[] { (string?)s!["codec_type"], s["width"]?.ToString(), s["height"]?.ToString() }.Where(v => v is not null)))
            .ToList();
    }

    /// <summary>Decodes the whole file; returns what ffmpeg printed at level error (empty = clean).</summary>
    public static async Task<string> DecodeErrorsAsync(string path)
    {
        var result = await Runner.RunAsync("ffmpeg", ["-hide_banner", "-nostdin", "-v", "error", "-i", path, "-f", "null", "-"]);
        return result.ExitCode == 0 ? result.StderrTail : $"exit {result.ExitCode}: {result.StderrTail}";
    }

    public static async Task<(int Width, int Height)> ImageSizeAsync(string path)
    {
        var csv = (await OutputAsync("ffprobe", "-v", "error", "-show_entries", "stream=width,height", "-of", "csv=p=0", path)).Trim();
        var parts = csv.Split(',');
        return (int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture));
    }

    /// <summary>Concatenates files byte by byte (init + segments make a playable fragmented MP4).</summary>
    public static void Concat(string target, IEnumerable<string> parts)
    {
        using var output = File.Create(target);
        foreach (var part in parts)
        {
            using var input = File.OpenRead(part);
            input.CopyTo(output);
        }
    }

    /// <summary>Processes still running whose command line contains <paramref name="marker"/> (pgrep -f).</summary>
    public static async Task<string> PgrepAsync(string marker)
    {
        var stdout = new System.Text.StringBuilder();
        await Runner.RunAsync("pgrep", ["-a", "-f", marker], line => stdout.AppendLine(line));
        return stdout.ToString().Trim();
    }
}

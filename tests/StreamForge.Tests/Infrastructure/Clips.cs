using System.Diagnostics;

namespace StreamForge.Tests.Infrastructure;

/// <summary>Generates test clips with the real ffmpeg (test pattern + tone).</summary>
public static class Clips
{
    private static readonly string Dir = Directory.CreateTempSubdirectory("streamforge-clips-").FullName;

    public static async Task<string> GenerateAsync(int width, int height, double seconds, bool audio = true, int fps = 30, string? name = null)
    {
        var path = Path.Combine(Dir, name ?? $"clip_{width}x{height}_{seconds}s_{(audio ? "a" : "na")}_{fps}.mp4");
        if (File.Exists(path)) return path;
        var args = new List<string> { "-hide_banner", "-v", "error", "-y", "-f", "lavfi", "-i", $"testsrc2=size={width}x{height}:rate={fps}:duration={seconds}" };
        if (audio) args.AddRange(["-f", "lavfi", "-i", $"sine=frequency=440:sample_rate=48000:duration={seconds}"]);
        args.AddRange(["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]);
        if (audio) args.AddRange(["-c:a", "aac", "-b:a", "96k", "-shortest"]);
        args.AddRange(["-movflags", "+faststart", path]);
        await RunAsync("ffmpeg", args);
        return path;
    }

    public static async Task<string> RunAsync(string tool, IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{tool} failed ({p.ExitCode}): {await stderr}");
        return await stdout + await stderr;
    }
}

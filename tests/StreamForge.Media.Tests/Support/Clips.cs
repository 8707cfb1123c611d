using System.Collections.Concurrent;

namespace StreamForge.Media.Tests.Support;

/// <summary>Generated source clips, made once per test run and shared between tests.</summary>
public static class Clips
{
    private static readonly string Folder = CreateFolder();
    private static readonly ConcurrentDictionary<string, Lazy<Task<string>>> Cache = new();

    /// <summary>1920x1080 30 fps, 6 s, with audio.</summary>
    public static Task<string> Landscape1080WithAudio() => Get("1080p-audio-6s.mp4", p => Tools.GenerateClipAsync(p, 1920, 1080, 6));

    public static Task<string> Landscape480() => Get("480p-3s.mp4", p => Tools.GenerateClipAsync(p, 854, 480, 3));

    public static Task<string> Portrait1080() => Get("portrait-1080x1920-2s.mp4", p => Tools.GenerateClipAsync(p, 1080, 1920, 2));

    public static Task<string> NoAudio() => Get("noaudio-640x360-3s.mp4", p => Tools.GenerateClipAsync(p, 640, 360, 3, audio: false));

    /// <summary>853x481 in 4:4:4 (H.264 4:2:0 cannot have odd sizes): also proves the output is forced to yuv420p.</summary>
    public static Task<string> Odd853x481() => Get("odd-853x481-2s.mp4", p => Tools.GenerateClipAsync(p, 853, 481, 2, pixelFormat: "yuv444p"));

    public static Task<string> OneSecond240() => Get("320x240-1s.mp4", p => Tools.GenerateClipAsync(p, 320, 240, 1, audio: false));

    /// <summary>Fixed clip behind the golden manifest: 1280x720, 25 fps, 5 s, with audio.</summary>
    public static Task<string> Golden720() => Get("golden-720p-5s.mp4", p => Tools.GenerateClipAsync(p, 1280, 720, 5, fps: 25));

    /// <summary>Long enough that cancelling mid-encode is certain: 640x360, 60 s.</summary>
    public static Task<string> Long360() => Get("long-360p-60s.mp4", p => Tools.GenerateClipAsync(p, 640, 360, 60));

    /// <summary>
    /// 640x360, 5 s, two audio streams: 440 Hz tagged eng "English", 880 Hz tagged fra "Français". Matroska, because
    /// ffmpeg's MP4 muxer drops a stream's title.
    /// </summary>
    public static Task<string> TwoLanguages() => Get("two-languages-5s.mkv", p => Tools.OutputAsync(
        "ffmpeg", "-hide_banner", "-nostdin", "-y", "-v", "error",
        "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30:duration=5",
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100:duration=5",
        "-f", "lavfi", "-i", "sine=frequency=880:sample_rate=44100:duration=5",
        "-map", "0:v", "-map", "1:a", "-map", "2:a", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "96k",
        "-metadata:s:a:0", "language=eng", "-metadata:s:a:0", "title=English",
        "-metadata:s:a:1", "language=fra", "-metadata:s:a:1", "title=Français", p));

    public static Task<string> AudioOnly() => Get("audio-only.m4a", p => Tools.OutputAsync(
        "ffmpeg", "-hide_banner", "-nostdin", "-y", "-v", "error", "-f", "lavfi", "-i", "sine=duration=2", "-c:a", "aac", p));

    private static Task<string> Get(string name, Func<string, Task> make) =>
        Cache.GetOrAdd(name, n => new Lazy<Task<string>>(async () =>
        {
            var path = Path.Combine(Folder, n);
            await make(path);
            return path;
        })).Value;

    private static string CreateFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"sfm-clips-{Environment.ProcessId}");
        Directory.CreateDirectory(folder);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
        };
        return folder;
    }
}

namespace StreamForge.Media.Tests.Support;

public static class TestData
{
    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", name);

    public static string Read(string name) => File.ReadAllText(PathOf(name));

    /// <summary>The MPD ffmpeg 5.1 wrote for a 12 s 1920x1080 clip with audio (4 rungs, audio = representation 4).</summary>
    public static DashMpd Ffmpeg1080Mpd() => DashMpdReader.Parse(Read("ffmpeg-1080p-12s.mpd"));

    public static ProbeResult Probe(int width, int height, bool audio = true, double duration = 12, int rotation = 0) => new(
        FormatName: "mov,mp4,m4a,3gp,3g2,mj2",
        DurationSeconds: duration,
        SizeBytes: 1_000_000,
        BitRate: 8_000_000,
        Video: new VideoStreamInfo(0, "h264", "High", "yuv420p", width, height, rotation,
            rotation is 90 or 270 ? height : width, rotation is 90 or 270 ? width : height, 30, 8),
        Audio: audio ? new AudioStreamInfo(1, "aac", 2, 44100) : null,
        StreamCount: audio ? 2 : 1);

    /// <summary>The ladder command for the 12 s test MPD: rungs 360..1080, representation ids 0..3, audio 4.</summary>
    public static (LadderCommand Ladder, IReadOnlyList<Rung> Rungs) Ladder1080(bool audio = true)
    {
        var rungs = LadderPlanner.Plan(1920, 1080, null);
        var ladder = new FfmpegCommandBuilder(new MediaToolsOptions()).BuildLadder("/src/in.mp4", Probe(1920, 1080, audio), rungs, new OutputLayout("/work"));
        return (ladder, rungs);
    }
}

namespace StreamForge.Media.Tests.Support;

/// <summary>Runs the real pipeline (ultrafast) on a generated clip in its own work dir; deletes it on dispose.</summary>
public sealed class ProcessedClip : IDisposable
{
    private readonly TempDir _work = new("sfm-work");

    private ProcessedClip()
    {
    }

    public ProcessedMedia Media { get; private set; } = null!;

    public List<double> Progress { get; } = [];

    public string WorkDir => _work.Path;

    public static MediaToolsOptions TestOptions() => new() { Preset = "ultrafast" };

    public static async Task<ProcessedClip> RunAsync(string source, int? maxQuality = null, string videoId = "test-video")
    {
        var clip = new ProcessedClip();
        var progress = new SynchronousProgress(clip.Progress);
        clip.Media = await new MediaProcessor(TestOptions()).ProcessAsync(source, clip.WorkDir, videoId, maxQuality, progress);
        return clip;
    }

    public string PathOf(string key) => Path.Combine(Media.OutputRoot, key);

    public void Dispose() => _work.Dispose();

    /// <summary>Unlike <see cref="Progress{T}"/>, reports on the calling thread, so the list is complete on return.</summary>
    private sealed class SynchronousProgress(List<double> values) : IProgress<double>
    {
        public void Report(double value)
        {
            lock (values)
            {
                values.Add(value);
            }
        }
    }
}

using System.Text.Json;
using StreamForge.Media;

namespace StreamForge.Worker;

/// <summary>
/// <c>StreamForge.Worker plan-ffmpeg &lt;source&gt; [--max-quality N] [--work-dir DIR]</c>: probes a local file and
/// prints, as JSON on stdout, the ffmpeg command the worker would run for it, straight from the product's
/// planner and <see cref="FfmpegCommandBuilder.BuildLadder"/> with the worker's Media settings (appsettings,
/// then environment such as Media__Preset). Benchmarks run that exact command by hand, so a change to the
/// builder reaches them without anything to keep in step. The work dir's folders are created as the worker
/// creates them, so the printed command runs as is.
/// </summary>
public static class FfmpegPlanCommand
{
    public const string Name = "plan-ffmpeg";

    private const string Usage = "usage: StreamForge.Worker plan-ffmpeg <source> [--max-quality N] [--work-dir DIR]";

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        string? source = null, workDir = null;
        int? maxQuality = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--max-quality" when i + 1 < args.Length && int.TryParse(args[i + 1], out var q):
                    maxQuality = q;
                    i++;
                    break;
                case "--work-dir" when i + 1 < args.Length:
                    workDir = args[++i];
                    break;
                case var a when !a.StartsWith("--", StringComparison.Ordinal) && source is null:
                    source = a;
                    break;
                default:
                    await stderr.WriteLineAsync($"unexpected argument '{args[i]}'\n{Usage}");
                    return 2;
            }
        }
        if (source is null || !File.Exists(source))
        {
            await stderr.WriteLineAsync(source is null ? Usage : $"no such file: {source}");
            return 2;
        }

        // Configuration only (no host): planning needs neither the database nor storage.
        var config = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory, Args = [] }).Configuration;
        var options = config.GetSection(MediaToolsOptions.SectionName).Get<MediaToolsOptions>() ?? new MediaToolsOptions();

        ProbeResult probe;
        try
        {
            probe = await new Ffprobe(options, new ProcessRunner()).ProbeAsync(source);
        }
        catch (MediaException e)
        {
            await stderr.WriteLineAsync($"ffprobe refused {source}: {e.Message}");
            return 1;
        }
        var rungs = LadderPlanner.Plan(probe.Video, maxQuality);
        var layout = new OutputLayout(workDir ?? Directory.CreateTempSubdirectory("sf-plan-").FullName);
        layout.Prepare();
        var ladder = new FfmpegCommandBuilder(options).BuildLadder(source, probe, rungs, layout);

        await stdout.WriteLineAsync(JsonSerializer.Serialize(new
        {
            fileName = options.FfmpegPath,
            arguments = ladder.Arguments,
            workDir = layout.WorkDir,
            manifestPath = ladder.ManifestPath,
            videoRepresentationIds = ladder.VideoRepresentationIds,
            audioRepresentationId = ladder.AudioRepresentationId,
            audioTracks = ladder.AudioTracks.Select(t => new { t.Id, t.RepresentationId, t.Stream.StreamIndex, t.Lang, t.Label }),
            rungs = rungs.Select(r => new { r.Id, r.Width, r.Height, r.VideoBitrate, r.MaxRate, r.BufferSize, r.Profile }),
        }, JsonOptions));
        return 0;
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);
}

using System.Globalization;
using System.Text.Json;

namespace StreamForge.Api.Playback;

/// <summary>
/// What a view report may say. Anyone can send one, so every figure has a range a real view can reach and nothing
/// more: a day of watching per report, a startup under ten minutes, rendition heights of real video.
/// </summary>
public static class ViewReportRules
{
    public const int MaxViewsPerBatch = 10;
    public const int MaxStartupMs = 600_000;
    public const double MaxSeconds = 86_400;
    public const int MaxCount = 100_000;
    public const long MaxBitrateBps = 1_000_000_000;
    public const long MaxDroppedFrames = 10_000_000;
    public const int MaxFatalErrors = 100;
    public const int MaxRenditions = 16;
    public const int MaxHeight = 8640;

    /// <summary>Strict: numbers are numbers (no "12" strings, no NaN), names are camelCase as documented.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict,
        PropertyNameCaseInsensitive = false,
    };

    /// <summary>Field errors keyed like the JSON ("views[0].watchSeconds"); empty when the batch is acceptable.</summary>
    public static Dictionary<string, string[]> Validate(ViewReportBatch? batch)
    {
        var errors = new Dictionary<string, string[]>();
        void Add(string field, string message) => errors[field] = [message];
        if (batch?.Views is not { Length: > 0 } views)
        {
            Add("views", "Send at least one view.");
            return errors;
        }
        if (views.Length > MaxViewsPerBatch) Add("views", $"Send at most {MaxViewsPerBatch} views per report.");
        if (views.Select(v => v?.ViewId).Distinct().Count() != views.Length) Add("views", "Each view may appear once per report.");
        for (var i = 0; i < views.Length && i < MaxViewsPerBatch; i++)
        {
            var at = $"views[{i}].";
            if (views[i] is not { } v)
            {
                Add($"views[{i}]", "A view must be an object.");
                continue;
            }
            if (v.ViewId == Guid.Empty) Add(at + "viewId", "viewId is required (a random UUID per view).");
            if (v.VideoId == Guid.Empty) Add(at + "videoId", "videoId is required.");
            if (v.StartupMs is < 0 or > MaxStartupMs) Add(at + "startupMs", $"startupMs must be between 0 and {MaxStartupMs}.");
            Seconds(at + "watchSeconds", v.WatchSeconds);
            Seconds(at + "rebufferSeconds", v.RebufferSeconds);
            if (v.RebufferCount is < 0 or > MaxCount) Add(at + "rebufferCount", $"rebufferCount must be between 0 and {MaxCount}.");
            if (v.BitrateSwitches is < 0 or > MaxCount) Add(at + "bitrateSwitches", $"bitrateSwitches must be between 0 and {MaxCount}.");
            if (v.AvgBitrateBps is < 0 or > MaxBitrateBps) Add(at + "avgBitrateBps", $"avgBitrateBps must be between 0 and {MaxBitrateBps}.");
            if (v.DroppedFrames is < 0 or > MaxDroppedFrames) Add(at + "droppedFrames", $"droppedFrames must be between 0 and {MaxDroppedFrames}.");
            if (v.FatalErrors is < 0 or > MaxFatalErrors) Add(at + "fatalErrors", $"fatalErrors must be between 0 and {MaxFatalErrors}.");
            var renditions = v.RenditionSeconds ?? [];
            if (renditions.Count > MaxRenditions) Add(at + "renditionSeconds", $"renditionSeconds may name at most {MaxRenditions} heights.");
            else
                foreach (var (height, seconds) in renditions)
                {
                    if (!IsHeight(height)) Add(at + "renditionSeconds", $"renditionSeconds keys must be heights between 1 and {MaxHeight}.");
                    else Seconds(at + "renditionSeconds", seconds);
                }
            if (renditions.Values.Where(double.IsFinite).Sum() > v.WatchSeconds + 1) Add(at + "renditionSeconds", "renditionSeconds add up to more than watchSeconds.");
        }
        return errors;

        void Seconds(string field, double value)
        {
            if (!double.IsFinite(value) || value < 0 || value > MaxSeconds) Add(field, $"{field[(field.IndexOf('.') + 1)..]} must be between 0 and {MaxSeconds} seconds.");
        }
    }

    private static bool IsHeight(string key) =>
        key.Length is > 0 and <= 4 && key.All(char.IsAsciiDigit) && key[0] != '0' &&
        int.Parse(key, CultureInfo.InvariantCulture) is > 0 and <= MaxHeight;

    /// <summary>"24h" (the default) or "7d".</summary>
    public static TimeSpan? Window(string? window) => window switch
    {
        null or "" or "24h" => TimeSpan.FromHours(24),
        "7d" => TimeSpan.FromDays(7),
        _ => null,
    };
}

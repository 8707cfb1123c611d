namespace StreamForge.Media;

/// <summary>
/// Plans the bitrate ladder from the source's display size: 360/480/720/1080 by the short side, never
/// upscaled, capped by the user's max quality, even dimensions, orientation and aspect ratio kept.
/// </summary>
public static class LadderPlanner
{
    public static readonly IReadOnlyList<int> StandardShortSides = [360, 480, 720, 1080];

    private static readonly Dictionary<int, long> StandardBitrates = new()
    {
        [360] = 800_000,
        [480] = 1_400_000,
        [720] = 2_800_000,
        [1080] = 5_000_000,
    };

    public const double MaxRateFactor = 1.07;
    public const double BufferSizeFactor = 1.5;

    public static IReadOnlyList<Rung> Plan(VideoStreamInfo video, int? maxQuality) =>
        Plan(video.DisplayWidth, video.DisplayHeight, maxQuality);

    /// <param name="displayWidth">Source width as shown (after rotation and sample aspect ratio).</param>
    /// <param name="displayHeight">Source height as shown.</param>
    /// <param name="maxQuality">The user's cap on the short side: 360, 480, 720, 1080, or null for none.</param>
    /// <returns>Rungs ordered from low to high.</returns>
    public static IReadOnlyList<Rung> Plan(int displayWidth, int displayHeight, int? maxQuality)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(displayWidth, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(displayHeight, 2);
        if (maxQuality is { } cap && !StandardShortSides.Contains(cap))
        {
            throw new ArgumentOutOfRangeException(nameof(maxQuality), cap, "max quality must be 360, 480, 720 or 1080");
        }

        var sourceShort = Math.Min(displayWidth, displayHeight);
        var sourceLong = Math.Max(displayWidth, displayHeight);
        var portrait = displayHeight > displayWidth;

        var shortSides = StandardShortSides
            .Where(s => s <= sourceShort && (maxQuality is null || s <= maxQuality))
            .ToList();

        if (shortSides.Count == 0)
        {
            // Smaller than the lowest rung: one rendition at the source's own (even) size.
            var ownShort = Math.Max(2, sourceShort / 2 * 2);
            var own = MakeRung(ownShort, sourceShort, sourceLong, portrait);
            var bitrate = ScaledBitrate(own.Width * (long)own.Height);
            return [own with { VideoBitrate = bitrate, MaxRate = MaxRateOf(bitrate), BufferSize = BufferSizeOf(bitrate) }];
        }

        return shortSides.Select(s => MakeRung(s, sourceShort, sourceLong, portrait)).ToList();
    }

    private static Rung MakeRung(int shortSide, int sourceShort, int sourceLong, bool portrait)
    {
        var longSide = Math.Max(2, Even((double)shortSide * sourceLong / sourceShort));
        var (width, height) = portrait ? (shortSide, longSide) : (longSide, shortSide);
        var bitrate = StandardBitrates.GetValueOrDefault(shortSide);
        return new Rung(
            Id: $"{shortSide}p",
            Width: width,
            Height: height,
            VideoBitrate: bitrate,
            MaxRate: MaxRateOf(bitrate),
            BufferSize: BufferSizeOf(bitrate),
            Profile: shortSide <= 480 ? "main" : "high");
    }

    /// <summary>Nearest even integer (H.264 4:2:0 needs even dimensions).</summary>
    internal static int Even(double value) => (int)Math.Round(value / 2, MidpointRounding.AwayFromZero) * 2;

    /// <summary>Below 360p: the 360p bitrate scaled by pixel count, never under 200 kb/s.</summary>
    private static long ScaledBitrate(long pixels) =>
        Math.Max(200_000, (long)Math.Round(StandardBitrates[360] * (double)pixels / (640 * 360) / 1000) * 1000);

    private static long MaxRateOf(long bitrate) => (long)Math.Round(bitrate * MaxRateFactor);

    private static long BufferSizeOf(long bitrate) => (long)Math.Round(bitrate * BufferSizeFactor);
}

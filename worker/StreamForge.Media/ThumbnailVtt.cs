using System.Globalization;
using System.Text;

namespace StreamForge.Media;

/// <summary>
/// WebVTT index of the sprite sheets: one cue per tile, <c>sprite_001.jpg#xywh=x,y,w,h</c> (relative to the thumbs
/// folder), cue i covering [i × interval, (i + 1) × interval), the last cue ending at the duration.
/// </summary>
public static class ThumbnailVtt
{
    /// <summary>
    /// Tiles the sprite step makes for <paramref name="videoDuration"/> seconds of frames: tile i is the first frame at
    /// or after i × interval, so a 4.1 s video has 2 and a 4.0 s one has 1.
    /// </summary>
    public static int TileCount(double videoDuration, int interval) =>
        Math.Max(1, (int)Math.Ceiling(videoDuration / interval - 1e-6));

    public static int SpriteCount(int tileCount, int columns, int rows) =>
        (tileCount + (columns * rows) - 1) / (columns * rows);

    /// <param name="thumbnails">Interval, tile size and the sprite sheets that exist (cues never point past them).</param>
    /// <param name="tileCount">Tiles made (see <see cref="TileCount"/>).</param>
    /// <param name="duration">Where the last cue ends (the manifest's duration).</param>
    public static string Build(ThumbnailSet thumbnails, int tileCount, double duration)
    {
        var vtt = new StringBuilder("WEBVTT\n");
        var available = thumbnails.Sprites.Sum(s => s.Columns * s.Rows);
        var tiles = Math.Min(tileCount, available);
        var interval = thumbnails.Interval;
        for (var i = 0; i < tiles; i++)
        {
            var (sprite, tile) = Locate(thumbnails.Sprites, i);
            var start = (double)i * interval;
            var end = i == tiles - 1 ? Math.Max(duration, start + 0.001) : start + interval;
            var x = tile % sprite.Columns * thumbnails.TileWidth;
            var y = tile / sprite.Columns * thumbnails.TileHeight;
            vtt.Append('\n')
                .Append(Timestamp(start)).Append(" --> ").Append(Timestamp(end)).Append('\n')
                .Append(Path.GetFileName(sprite.Url))
                .Append(CultureInfo.InvariantCulture, $"#xywh={x},{y},{thumbnails.TileWidth},{thumbnails.TileHeight}\n");
        }

        return vtt.ToString();
    }

    /// <summary>hh:mm:ss.ttt</summary>
    internal static string Timestamp(double seconds)
    {
        var ms = (long)Math.Round(seconds * 1000);
        return string.Create(CultureInfo.InvariantCulture, $"{ms / 3_600_000:00}:{ms / 60_000 % 60:00}:{ms / 1000 % 60:00}.{ms % 1000:000}");
    }

    private static (SpriteSheet Sprite, int Tile) Locate(IReadOnlyList<SpriteSheet> sprites, int index)
    {
        foreach (var sprite in sprites)
        {
            var size = sprite.Columns * sprite.Rows;
            if (index < size)
            {
                return (sprite, index);
            }

            index -= size;
        }

        throw new ArgumentOutOfRangeException(nameof(index));
    }
}

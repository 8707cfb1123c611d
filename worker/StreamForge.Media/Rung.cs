namespace StreamForge.Media;

/// <summary>
/// One output rendition. <see cref="Id"/> is "{short side}p" (e.g. "720p"), also its folder name.
/// Bitrates are in bits per second.
/// </summary>
public sealed record Rung(string Id, int Width, int Height, long VideoBitrate, long MaxRate, long BufferSize, string Profile)
{
    public int ShortSide => Math.Min(Width, Height);
}

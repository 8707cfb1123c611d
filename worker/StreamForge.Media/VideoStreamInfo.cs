namespace StreamForge.Media;

/// <param name="StreamIndex">Absolute stream index in the source (used to map the stream in ffmpeg).</param>
/// <param name="Width">Stored frame width (before sample aspect ratio and rotation).</param>
/// <param name="Height">Stored frame height.</param>
/// <param name="Rotation">Clockwise-normalised rotation, one of 0, 90, 180, 270.</param>
/// <param name="DisplayWidth">Width as shown: sample aspect ratio applied, swapped for 90/270 rotation.</param>
/// <param name="DisplayHeight">Height as shown.</param>
public sealed record VideoStreamInfo(
    int StreamIndex,
    string Codec,
    string? Profile,
    string? PixelFormat,
    int Width,
    int Height,
    int Rotation,
    int DisplayWidth,
    int DisplayHeight,
    double FrameRate,
    int BitDepth);

namespace StreamForge.Media;

/// <summary>A file ffmpeg has closed while it still runs: where it lies now and the key it has in the final layout.</summary>
public sealed record GrowingFile(string LocalPath, string Key)
{
    public string ContentType => MediaContentTypes.Of(Key);
}

namespace StreamForge.Media;

/// <param name="Key">Path relative to the video's media folder, with forward slashes (e.g. "video/720p/seg_00001.m4s").</param>
/// <param name="LocalPath">Absolute path of the file on disk.</param>
public sealed record OutputFile(string Key, string LocalPath, string ContentType, CachePolicy CachePolicy, long Length)
{
    public string CacheControl => CachePolicy.CacheControl();
}

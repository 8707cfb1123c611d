namespace StreamForge.Core.Storage;

public static class StorageKeys
{
    public static string Source(Guid videoId) => $"raw/{videoId:D}/source";

    /// <summary>An uploaded poster image as received, kept only until the worker has re-encoded it.</summary>
    public static string PosterUpload(Guid videoId, int number) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"raw/{videoId:D}/poster-{number}.upload");
    /// <summary>Every version of a video's processed media (what a delete removes).</summary>
    public static string MediaPrefix(Guid videoId) => $"media/{videoId:D}/";

    /// <summary>
    /// One processing round's outputs. Reprocessing publishes under the next version, so no key already served
    /// with <c>Cache-Control: immutable</c> is ever given new bytes.
    /// </summary>
    public static string MediaVersionPrefix(Guid videoId, int version) =>
        version >= 1 ? $"{MediaPrefix(videoId)}v{version}/" : throw new ArgumentOutOfRangeException(nameof(version), version, "media versions start at 1");

    public static string Media(Guid videoId, int version, string relativePath) => MediaVersionPrefix(videoId, version) + relativePath;
}

namespace StreamForge.Core.Storage;

public static class StorageKeys
{
    public const string PublicMediaRoot = "media/";
    /// <summary>Private media: outside what the anonymous-read policy grants (media/*), served only with a playback token.</summary>
    public const string PrivateMediaRoot = "private/";

    public static string Source(Guid videoId) => $"raw/{videoId:D}/source";

    /// <summary>An uploaded poster image as received, kept only until the worker has re-encoded it.</summary>
    public static string PosterUpload(Guid videoId, int number) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"raw/{videoId:D}/poster-{number}.upload");

    /// <summary>Every version of a video's processed media at one location (a delete removes both locations).</summary>
    public static string MediaPrefix(Guid videoId, bool mediaPrivate = false) =>
        $"{(mediaPrivate ? PrivateMediaRoot : PublicMediaRoot)}{videoId:D}/";

    /// <summary>Both places a video's media can be: what a delete removes.</summary>
    public static IReadOnlyList<string> AllMediaPrefixes(Guid videoId) => [MediaPrefix(videoId, false), MediaPrefix(videoId, true)];

    /// <summary>
    /// One processing round's outputs. Reprocessing publishes under the next version, so no key already served
    /// with <c>Cache-Control: immutable</c> is ever given new bytes.
    /// </summary>
    public static string MediaVersionPrefix(Guid videoId, int version, bool mediaPrivate = false) =>
        version >= 1 ? $"{MediaPrefix(videoId, mediaPrivate)}v{version}/" : throw new ArgumentOutOfRangeException(nameof(version), version, "media versions start at 1");

    public static string Media(Guid videoId, int version, string relativePath, bool mediaPrivate = false) =>
        MediaVersionPrefix(videoId, version, mediaPrivate) + relativePath;
}

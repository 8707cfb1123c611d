namespace StreamForge.Media;

/// <summary>Which <see cref="CachePolicy"/> a published key gets, and the Cache-Control header each policy stands for.</summary>
public static class CachePolicies
{
    public const string ImmutableHeader = "public, max-age=31536000, immutable";
    public const string ShortHeader = "public, max-age=10";
    public const string GrowingHeader = "public, max-age=1";

    public static string CacheControl(this CachePolicy policy) => policy switch
    {
        CachePolicy.Immutable => ImmutableHeader,
        CachePolicy.Short => ShortHeader,
        CachePolicy.Growing => GrowingHeader,
        _ => throw new ArgumentOutOfRangeException(nameof(policy), policy, null),
    };

    /// <summary>Captions can be replaced or removed within a version, so they are never immutable.</summary>
    public static CachePolicy Of(string key) =>
        key is OutputLayout.ManifestJsonKey or OutputLayout.ManifestMpdKey or OutputLayout.ThumbsVttKey || key.EndsWith(".m3u8", StringComparison.Ordinal) || key.StartsWith(CaptionPaths.Folder, StringComparison.Ordinal)
            ? CachePolicy.Short
            : CachePolicy.Immutable;
}

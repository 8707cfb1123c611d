namespace StreamForge.Media;

public static class CachePolicies
{
    public const string ImmutableHeader = "public, max-age=31536000, immutable";
    public const string ShortHeader = "public, max-age=10";

    public static string CacheControl(this CachePolicy policy) => policy switch
    {
        CachePolicy.Immutable => ImmutableHeader,
        CachePolicy.Short => ShortHeader,
        _ => throw new ArgumentOutOfRangeException(nameof(policy), policy, null),
    };
}

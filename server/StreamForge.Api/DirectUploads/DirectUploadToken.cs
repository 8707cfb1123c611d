using StreamForge.Api.Infrastructure;

namespace StreamForge.Api.DirectUploads;

/// <summary>The upload link's secret: "du_" and a <see cref="RandomSecret"/>; only its hash is stored.</summary>
public static class DirectUploadToken
{
    public const string Prefix = "du_";

    public static string New() => RandomSecret.New(Prefix);

    public static string Hash(string token) => RandomSecret.Hash(token);

    /// <summary>Cheap shape check before any lookup.</summary>
    public static bool LooksValid(string token) => RandomSecret.IsWellFormed(token, Prefix);
}

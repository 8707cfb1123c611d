namespace StreamForge.Core.Videos;

/// <summary>Limits of the lifecycle (section Processing).</summary>
public sealed class VideoLifecycleOptions
{
    public const string Section = "Processing";

    /// <summary>Retries an owner may start per video in 24 hours; admins are not capped. Each retry is a full encode.</summary>
    public int OwnerRetriesPerDay { get; set; } = 5;
}

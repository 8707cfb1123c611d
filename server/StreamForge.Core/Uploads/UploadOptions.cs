namespace StreamForge.Core.Uploads;

public sealed class UploadOptions
{
    public const string Section = "Uploads";

    public long MultipartThresholdBytes { get; set; } = 100_000_000;
    public long PartSizeBytes { get; set; } = 10_000_000;
    public TimeSpan PresignedUrlLifetime { get; set; } = TimeSpan.FromHours(1);
    public TimeSpan SessionIdleExpiry { get; set; } = TimeSpan.FromHours(24);
    public long MaxFileBytes { get; set; } = 50_000_000_000;
    /// <summary>Most part URLs one signing call may ask for.</summary>
    public int MaxPartsPerSignRequest { get; set; } = 100;
}

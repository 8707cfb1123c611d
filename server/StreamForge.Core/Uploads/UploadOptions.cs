namespace StreamForge.Core.Uploads;

public sealed class UploadOptions
{
    public const string Section = "Uploads";

    public long MultipartThresholdBytes { get; set; } = 100_000_000;
    public long PartSizeBytes { get; set; } = 10_000_000;
    public TimeSpan PresignedUrlLifetime { get; set; } = TimeSpan.FromHours(1);
    /// <summary>
    /// Lifetime of a single-PUT URL. It only has to be valid when the PUT starts, and while it is valid the
    /// object can be rewritten, so it is kept short; the client re-signs when it expired.
    /// </summary>
    public TimeSpan SinglePutUrlLifetime { get; set; } = TimeSpan.FromMinutes(5);
    public TimeSpan SessionIdleExpiry { get; set; } = TimeSpan.FromHours(24);
    public long MaxFileBytes { get; set; } = 50_000_000_000;
    /// <summary>Most part URLs one signing call may ask for.</summary>
    public int MaxPartsPerSignRequest { get; set; } = 100;
}

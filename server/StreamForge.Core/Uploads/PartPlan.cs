using StreamForge.Core.Data;

namespace StreamForge.Core.Uploads;

public sealed record PartPlan(UploadMode Mode, long PartSize, int PartCount)
{
    /// <summary>Size of one part; all are <see cref="PartSize"/> except the last.</summary>
    public long SizeOf(int partNumber, long totalSize) =>
        partNumber < PartCount ? PartSize : totalSize - PartSize * (PartCount - 1);
}

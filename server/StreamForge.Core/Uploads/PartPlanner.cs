using StreamForge.Core.Data;

namespace StreamForge.Core.Uploads;

/// <summary>Decides single PUT vs multipart and the part size for a file.</summary>
public static class PartPlanner
{
    public const int MaxParts = 10_000;
    /// <summary>S3 refuses parts below 5 MiB (except the last).</summary>
    public const long MinPartSize = 5L * 1024 * 1024;
    /// <summary>S3 refuses parts above 5 GiB.</summary>
    public const long MaxPartSize = 5L * 1024 * 1024 * 1024;

    public static PartPlan Plan(long size, long multipartThreshold, long preferredPartSize)
    {
        if (size <= 0) throw new ArgumentOutOfRangeException(nameof(size), "size must be positive");
        if (size <= multipartThreshold) return new PartPlan(UploadMode.Single, size, 1);

        var partSize = Math.Max(preferredPartSize, MinPartSize);
        var minimumForCount = (size + MaxParts - 1) / MaxParts;
        if (partSize < minimumForCount)
        {
            // Grow to a whole MiB so part boundaries stay round numbers.
            const long mib = 1024 * 1024;
            partSize = (minimumForCount + mib - 1) / mib * mib;
        }
        if (partSize > MaxPartSize) throw new ArgumentOutOfRangeException(nameof(size), "size exceeds what 10,000 parts of 5 GiB can hold");
        var count = (int)((size + partSize - 1) / partSize);
        return new PartPlan(UploadMode.Multipart, partSize, count);
    }
}

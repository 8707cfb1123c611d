namespace StreamForge.Core.Data;

public sealed class UploadPart
{
    public Guid SessionId { get; set; }
    public int PartNumber { get; set; }
    /// <summary>Null until the client records the part it sent.</summary>
    public string? ETag { get; set; }
    public long? Size { get; set; }
    public DateTimeOffset SignedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
}

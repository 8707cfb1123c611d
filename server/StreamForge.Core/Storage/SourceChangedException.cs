namespace StreamForge.Core.Storage;

/// <summary>
/// The object under a key is no longer the version that was measured (its ETag changed): it was
/// replaced after the upload was completed.
/// </summary>
public sealed class SourceChangedException(string key, string expectedETag, string? actualETag)
    : Exception($"The object {key} changed after it was recorded (expected ETag {expectedETag}, storage has {actualETag ?? "a different version"}).")
{
    public string Key { get; } = key;
    public string ExpectedETag { get; } = expectedETag;
    public string? ActualETag { get; } = actualETag;
}
